import { JSONSerializer } from 'fabric-contract-api';
import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { expectLedgerError } from '../support/expect-error';
import { cachedHandleParameters, shimHandleParameters } from '../../chaincode/src/library-patches';
import { openProbeFixture, probe, ProbeFixture } from '../support/probe';
import { ProbeContract } from '../support/probe-contract';

describe('embedded ledger: transaction semantics', () => {
  let f: ProbeFixture;
  beforeEach(async () => {
    f = await openProbeFixture();
  });
  afterEach(async () => {
    await f.cleanup();
  });

  describe('no read-your-own-writes', () => {
    it('a transaction reading a key it has just put sees nothing when the key is new', async () => {
      const r = await f.submit('PutThenGet', 'k', 'v1');
      expect(JSON.parse(r.payload.toString())).to.deep.equal({ before: null, after: null });
      expect(await f.valueOf('k')).to.equal('v1');
    });

    it('a transaction reading a key it has just overwritten sees the committed value', async () => {
      await f.submit('Put', 'k', 'old');
      const r = await f.submit('PutThenGet', 'k', 'new');
      expect(JSON.parse(r.payload.toString())).to.deep.equal({ before: 'old', after: 'old' });
      expect(await f.valueOf('k')).to.equal('new');
    });

    it('a transaction reading a key it has just deleted still sees the committed value', async () => {
      await f.submit('Put', 'k', 'kept-until-commit');
      const r = await f.submit('DeleteThenGet', 'k');
      expect(JSON.parse(r.payload.toString())).to.deep.equal({ after: 'kept-until-commit' });
      expect(await f.valueOf('k')).to.equal(null);
    });

    it('a range read does not show keys the same transaction has put', async () => {
      await f.submit('Put', 'r/a', '1');
      const r = await f.submit('PutThenRange', 'r/b', 'r/', 'r0');
      expect(JSON.parse(r.payload.toString())).to.deep.equal([{ key: 'r/a', value: '1' }]);
      expect(await f.valueOf('r/b')).to.equal('new');
    });

    it('a range read of large values returns every key in the range, past LevelDB batches of about 16 KiB', async () => {
      const pairs = Array.from({ length: 100 }, (_, i) => [`big/${String(i).padStart(3, '0')}`, 'v'.repeat(1024)]);
      await f.submit('PutMany', JSON.stringify(pairs));
      const ranged = JSON.parse((await f.submit('PutThenRange', 'elsewhere', 'big/', 'big0')).payload.toString()) as unknown[];
      expect(ranged).to.have.length(100);
      const page = (await f.evaluate('PageRange', 'big/', 'big0', '100', '')) as { keys: string[] };
      expect(page.keys).to.deep.equal(pairs.map(([k]) => k));
    });

    it('evaluate simulates without committing anything', async () => {
      const before = await f.ledger.height();
      const payload = await f.ledger.evaluate(f.user, probe('PutThenGet', 'ghost', 'boo'));
      expect(JSON.parse(payload.toString())).to.deep.equal({ before: null, after: null });
      expect(await f.ledger.height()).to.equal(before);
      expect(await f.valueOf('ghost')).to.equal(null);
    });
  });

  describe('atomic rollback', () => {
    it('a transaction that throws a coded error writes nothing and cuts no block', async () => {
      await f.submit('Put', 'a', 'original');
      const height = await f.ledger.height();
      const pairs = JSON.stringify([
        ['a', 'changed'],
        ['b', 'created'],
        ['c', null],
      ]);
      await f.submit('Put', 'c', 'still-here');
      const err = await expectLedgerError(f.submit('PutManyThenThrow', pairs, 'true'), 'CONFLICT', /probe refused after writing/);
      expect(err.transactionId).to.be.a('string');
      expect(await f.valueOf('a')).to.equal('original');
      expect(await f.valueOf('b')).to.equal(null);
      expect(await f.valueOf('c')).to.equal('still-here');
      // A failed simulation never reaches ordering: no block, no transaction record.
      expect(await f.ledger.height()).to.equal(height + 1);
      expect(await f.ledger.getTransaction(err.transactionId as string)).to.equal(undefined);
    });

    it('a transaction that throws an unexpected error writes nothing and surfaces as INTERNAL', async () => {
      const err = await expectLedgerError(f.submit('PutManyThenThrow', JSON.stringify([['x', '1']]), 'false'), 'INTERNAL');
      expect(String((err.cause as Error).message)).to.match(/probe failed after writing/);
      expect(await f.valueOf('x')).to.equal(null);
      expect(await f.ledger.height()).to.equal(0);
    });
  });

  describe('atomic commit', () => {
    it('all writes of a transaction commit together, in one block, under one transaction ID', async () => {
      const pairs = Array.from({ length: 20 }, (_, i) => [`batch/${String(i).padStart(2, '0')}`, `v${i}`]);
      const r = await f.submit('PutMany', JSON.stringify(pairs));
      for (const [key, value] of pairs) expect(await f.valueOf(key as string)).to.equal(value);
      const block = await f.ledger.getBlock(r.blockNumber);
      expect(block?.data.map((t) => t.txId)).to.deep.equal([r.txId]);
      expect(block?.data[0]?.rwset.writes.map(([k]) => k)).to.have.members(pairs.map(([k]) => k as string));
      for (const [key] of pairs) {
        const history = await f.evaluate('History', key as string);
        expect(history.map((h: { txId: string }) => h.txId)).to.deep.equal([r.txId]);
      }
    });

    it('an empty value is a delete, as on Fabric', async () => {
      await f.submit('Put', 'e', 'something');
      await f.submit('Put', 'e', '');
      expect(await f.valueOf('e')).to.equal(null);
      const history = await f.evaluate('History', 'e');
      expect(history.map((h: { isDelete: boolean }) => h.isDelete)).to.deep.equal([true, false]);
    });
  });

  describe('private data', () => {
    it('keeps private values off the block: only hashes of key and value are recorded', async () => {
      const secret = 'ID 620000199001011234';
      const r = await f.ledger.submit(f.user, { ...probe('PutPrivate', 'LiangdangPrivate', 'person/1'), transient: { secret: Buffer.from(secret) } });
      const blockBytes = await f.ledger.store.getBlockBytes(r.blockNumber);
      expect(blockBytes?.toString()).to.not.include(secret);
      expect(blockBytes?.toString()).to.not.include(Buffer.from(secret).toString('base64'));
      const sha = (s: string) => createHash('sha256').update(s).digest('hex');
      const tx = (await f.ledger.getBlock(r.blockNumber))?.data[0];
      expect(tx?.rwset.privateWrites).to.deep.equal([['LiangdangPrivate', sha('person/1'), sha(secret)]]);
      expect(tx?.rwset.writes).to.deep.equal([]);
      expect(await f.evaluate('GetPrivate', 'LiangdangPrivate', 'person/1')).to.deep.equal({ value: secret, hash: sha(secret) });
      expect(await f.evaluate('GetPrivate', 'OtherCollection', 'person/1')).to.deep.equal({ value: null, hash: '' });
      await f.submit('DeletePrivate', 'LiangdangPrivate', 'person/1');
      expect(await f.evaluate('GetPrivate', 'LiangdangPrivate', 'person/1')).to.deep.equal({ value: null, hash: '' });
    });
  });
});

describe('embedded ledger: transaction arguments', () => {
  let f: ProbeFixture;
  before(async () => {
    f = await openProbeFixture();
  });
  after(async () => {
    await f.cleanup();
  });

  it('converts and validates arguments by the contract metadata', async () => {
    expect(await f.evaluate('Repeat', 'ab', '3', 'true')).to.deep.equal({ text: 'ABABAB', timesType: 'number' });
    await expectLedgerError(f.evaluate('Repeat', 'ab', 'three', 'true'), 'INVALID_ARGUMENT');
    await expectLedgerError(f.evaluate('Repeat', 'ab', '3', 'maybe'), 'INVALID_ARGUMENT');
    await expectLedgerError(f.evaluate('Repeat', 'ab', '3'), 'INVALID_ARGUMENT', /Expected 3 parameters, but 2 have been supplied/);
  });

  it("gives the same values and the same errors as fabric-shim's own parameter handling", async () => {
    // Warm the cache through a real call, then compare both implementations on the same descriptors.
    await f.evaluate('Repeat', 'x', '1', 'false');
    // fabric-shim's contract runtime is an internal module without type declarations.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const chaincode = new (require('fabric-shim/lib/contract-spi/chaincodefromcontract'))(
      [ProbeContract],
      { transaction: 'jsonSerializer', serializers: { jsonSerializer: JSONSerializer } },
      {},
      'probe',
      '1',
    );
    const marshall = chaincode.contractImplementations.Probe.dataMarshall;
    const fn = chaincode.metadata.contracts.Probe.transactions.find((t: { name: string }) => t.name === 'Repeat');
    const outcome = (impl: (...a: unknown[]) => unknown, args: string[]) => {
      try {
        return {
          values: impl.call(
            marshall,
            fn,
            args.map((a) => Buffer.from(a)),
            '[probe]',
          ),
        };
      } catch (err) {
        return { error: (err as Error).message };
      }
    };
    const inputs = [
      ['ab', '3', 'true'],
      ['', '0', 'false'],
      ['ab', 'three', 'true'],
      ['ab', '3', 'maybe'],
      ['ab', '-1.5', 'true'],
      ['ab', '3'],
      ['ab', '3', 'true', 'extra'],
      ['{"json":true}', '2', 'false'],
    ];
    let refused = 0;
    for (const args of inputs) {
      const theirs = outcome(shimHandleParameters as never, args);
      const ours = outcome(cachedHandleParameters as never, args);
      expect(ours, args.join(',')).to.deep.equal(theirs);
      if ('error' in theirs) refused++;
    }
    expect(refused).to.equal(4);
  });
});
