import { expect } from 'chai';
import { LedgerError } from '../../gateway-api/src/ledger/errors';
import { SubmitResult } from '../../gateway-api/src/ledger/ledger';
import { expectLedgerError, settle } from '../support/expect-error';
import { openProbeFixture, ProbeFixture } from '../support/probe';
import { checkpoint, gate } from '../support/probe-contract';

describe('embedded ledger: serialization and MVCC validation', () => {
  let f: ProbeFixture;
  afterEach(async () => {
    await f?.cleanup();
  });

  it('50 concurrent increments of one counter end at exactly 50, each value handed out once', async () => {
    f = await openProbeFixture({ ledger: { mvccRetries: 100 } });
    const results = await Promise.all(Array.from({ length: 50 }, () => f.submit('Increment', 'counter', '')));
    expect(await f.valueOf('counter')).to.equal('50');
    const values = results.map((r) => Number(r.payload.toString())).sort((a, b) => a - b);
    expect(values).to.deep.equal(Array.from({ length: 50 }, (_, i) => i + 1));
    expect((await f.ledger.verifyChain()).ok).to.equal(true);
  });

  it('with the default retry budget, a burst of conflicting increments still all commit', async () => {
    f = await openProbeFixture();
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => f.submit('Increment', 'counter', '')));
    expect(results.filter((r) => r.status === 'fulfilled')).to.have.length(8);
    expect(await f.valueOf('counter')).to.equal('8');
  });

  it('without retries, conflicting increments fail with MVCC_CONFLICT and are recorded invalid in their block', async () => {
    f = await openProbeFixture({ ledger: { mvccRetries: 0 } });
    // Every increment reads the counter at version "absent" before any of them commits.
    const g = gate('inc');
    const submissions = Array.from({ length: 50 }, () => f.submit('Increment', 'counter', 'inc'));
    await g.arrived(50);
    g.open();
    const settled = await Promise.allSettled(submissions);
    const ok = settled.filter((s): s is PromiseFulfilledResult<SubmitResult> => s.status === 'fulfilled');
    const failed = settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected').map((s) => s.reason as LedgerError);
    expect(ok).to.have.length(1);
    expect(failed).to.have.length(49);
    expect(await f.valueOf('counter')).to.equal('1');
    for (const err of failed) {
      expect(err).to.be.instanceOf(LedgerError);
      expect(err.code).to.equal('MVCC_CONFLICT');
      const info = await f.ledger.getTransaction(err.transactionId as string);
      expect(info?.validationCode).to.equal('MVCC_READ_CONFLICT');
      const block = await f.ledger.getBlock(info?.blockNumber as number);
      expect(block?.data[info?.txIndex as number]?.txId).to.equal(err.transactionId);
      expect(block?.metadata.validationCodes[info?.txIndex as number]).to.equal('MVCC_READ_CONFLICT');
    }
    // The invalid transactions left no trace in the key's history.
    const history = await f.evaluate('History', 'counter');
    expect(history.map((h: { txId: string }) => h.txId)).to.deep.equal([ok[0]?.value.txId]);
  });

  it('a transaction whose read was overwritten before it was ordered is invalidated, with all its writes', async () => {
    f = await openProbeFixture({ ledger: { mvccRetries: 0 } });
    await f.submit('Put', 'x', 'v0');
    const g = gate('reader');
    const reader = f.submit(
      'ReadWaitPut',
      'x',
      'reader',
      JSON.stringify([
        ['y1', 'a'],
        ['y2', 'b'],
        ['x', 'from-reader'],
      ]),
    );
    await g.arrived();
    const writer = await f.submit('Put', 'x', 'v1');
    g.open();
    const err = await expectLedgerError(reader, 'MVCC_CONFLICT');
    const info = await f.ledger.getTransaction(err.transactionId as string);
    expect(info?.validationCode).to.equal('MVCC_READ_CONFLICT');
    expect(info?.blockNumber).to.be.greaterThan(writer.blockNumber);
    expect(await f.valueOf('x')).to.equal('v1');
    expect(await f.valueOf('y1')).to.equal(null);
    expect(await f.valueOf('y2')).to.equal(null);
  });

  it('the same conflict is resolved by re-simulating when retries are allowed', async () => {
    f = await openProbeFixture({ ledger: { mvccRetries: 1 } });
    await f.submit('Put', 'x', 'v0');
    const g = gate('reader');
    const reader = f.submit('ReadWaitPut', 'x', 'reader', JSON.stringify([['y1', 'a']]));
    await g.arrived();
    await f.submit('Put', 'x', 'v1');
    g.open();
    const r = await reader;
    expect(g.arrivals).to.equal(2);
    expect((await f.ledger.getTransaction(r.txId))?.validationCode).to.equal('VALID');
    expect(await f.valueOf('y1')).to.equal('a');
  });

  describe('phantom reads', () => {
    it('a key inserted into a range after it was read invalidates the reader (PHANTOM_READ_CONFLICT)', async () => {
      f = await openProbeFixture({ ledger: { mvccRetries: 0 } });
      await f.submit(
        'PutMany',
        JSON.stringify([
          ['p/1', 'a'],
          ['p/2', 'b'],
          ['q/1', 'outside'],
        ]),
      );
      const g = gate('counter');
      const reader = f.submit('CountRange', 'p/', 'p0', 'counter', 'count');
      await g.arrived();
      await f.submit('Put', 'p/3', 'phantom');
      g.open();
      const err = await expectLedgerError(reader, 'MVCC_CONFLICT', /PHANTOM_READ_CONFLICT/);
      expect((await f.ledger.getTransaction(err.transactionId as string))?.validationCode).to.equal('PHANTOM_READ_CONFLICT');
      expect(await f.valueOf('count')).to.equal(null);
    });

    it('a key deleted from a range after it was read invalidates the reader too', async () => {
      f = await openProbeFixture({ ledger: { mvccRetries: 0 } });
      await f.submit(
        'PutMany',
        JSON.stringify([
          ['p/1', 'a'],
          ['p/2', 'b'],
        ]),
      );
      const g = gate('counter');
      const reader = f.submit('CountRange', 'p/', 'p0', 'counter', 'count');
      await g.arrived();
      await f.submit('Delete', 'p/1');
      g.open();
      const err = await expectLedgerError(reader, 'MVCC_CONFLICT');
      expect((await f.ledger.getTransaction(err.transactionId as string))?.validationCode).to.equal('PHANTOM_READ_CONFLICT');
    });

    it('a write outside the range read does not invalidate the reader', async () => {
      f = await openProbeFixture({ ledger: { mvccRetries: 0 } });
      await f.submit(
        'PutMany',
        JSON.stringify([
          ['p/1', 'a'],
          ['p/2', 'b'],
        ]),
      );
      const g = gate('counter');
      const reader = f.submit('CountRange', 'p/', 'p0', 'counter', 'count');
      await g.arrived();
      await f.submit('Put', 'p0', 'just past the end');
      g.open();
      const r = await reader;
      expect(r.payload.toString()).to.equal('2');
      expect(await f.valueOf('count')).to.equal('2');
    });

    it('a key inserted earlier in the same block is a phantom for a later reader in that block', async () => {
      const queued = async () => {
        for (let i = 0; i < 20; i++) await settle();
        await new Promise((r) => setTimeout(r, 100));
      };
      f = await openProbeFixture({ ledger: { mvccRetries: 0 } });
      await f.submit('PutComposite', 'item', JSON.stringify(['a']), 'first', '');
      // Hold the block store's commit so that the next two transactions are cut into one block.
      const store = f.ledger.store as unknown as { commit: (...a: unknown[]) => Promise<void> };
      const commit = store.commit.bind(store);
      const hold = gate('commit');
      store.commit = async (...a: unknown[]) => {
        await hold.pass();
        return commit(...a);
      };
      const blocker = f.submit('Put', 'unrelated', '1');
      await hold.arrived();
      const readerGate = gate('reader');
      const writerDone = checkpoint('writer');
      const reader = f.submit('CountPartial', 'item', '[]', 'reader', 'count');
      await readerGate.arrived();
      // A fullwidth character sorts after the range end in UTF-16 but before it in UTF-8, as LevelDB orders keys.
      const writer = f.submit('PutComposite', 'item', JSON.stringify(['\uff08b']), 'second', 'writer');
      await writerDone.arrived();
      // The writer's endorsements and its place in the ordering queue come after its simulation;
      // on a loaded machine one turn of the event loop is not always enough for them.
      await queued();
      readerGate.open();
      await queued();
      hold.open();
      await blocker;
      const w = await writer;
      const err = await expectLedgerError(reader, 'MVCC_CONFLICT');
      const info = await f.ledger.getTransaction(err.transactionId as string);
      expect(info?.blockNumber).to.equal(w.blockNumber);
      expect(info?.validationCode).to.equal('PHANTOM_READ_CONFLICT');
    });
  });

  it('blind writes to one key by concurrent transactions all commit; the last in order wins', async () => {
    f = await openProbeFixture({ ledger: { mvccRetries: 0 } });
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => f.submit('Put', 'blind', `v${i}`)));
    const order = [...results].sort((a, b) => a.blockNumber - b.blockNumber || 0);
    const history = await f.evaluate('History', 'blind');
    expect(history).to.have.length(20);
    // History is newest first; the committed value is the newest entry's.
    expect(await f.valueOf('blind')).to.equal(history[0].value);
    expect(new Set(history.map((h: { txId: string }) => h.txId))).to.deep.equal(new Set(order.map((r) => r.txId)));
  });
});
