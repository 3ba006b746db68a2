import { expect } from 'chai';
import { Block } from '../../gateway-api/src/ledger/embedded/block-format';
import { EmbeddedLedger } from '../../gateway-api/src/ledger/embedded/embedded-ledger';
import { ChaincodeEvent } from '../../gateway-api/src/ledger/ledger';
import { gate } from '../support/probe-contract';
import { expectLedgerError } from '../support/expect-error';
import { openProbeFixture, ProbeFixture } from '../support/probe';

/** Reads `count` events from the ledger's event stream, failing if they do not arrive in time. */
async function collect(ledger: EmbeddedLedger, count: number, startBlock?: number, timeoutMs = 5000): Promise<ChaincodeEvent[]> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const out: ChaincodeEvent[] = [];
  try {
    const options = startBlock === undefined ? { signal: controller.signal } : { startBlock, signal: controller.signal };
    for await (const event of ledger.events(options)) {
      out.push(event);
      if (out.length === count) break;
    }
  } finally {
    clearTimeout(timer);
  }
  if (out.length < count) expect.fail(`only ${out.length} of ${count} events arrived`);
  return out;
}

/** The events of valid transactions in the order the blocks record them. */
async function eventsInBlockOrder(f: ProbeFixture, fromBlock = 0): Promise<Array<{ txId: string; name: string; blockNumber: number }>> {
  const out: Array<{ txId: string; name: string; blockNumber: number }> = [];
  const height = await f.ledger.height();
  for (let n = fromBlock; n < height; n++) {
    const block = (await f.ledger.getBlock(n)) as Block;
    block.data.forEach((tx, i) => {
      if (tx.event && block.metadata.validationCodes[i] === 'VALID') out.push({ txId: tx.txId, name: tx.event.name, blockNumber: n });
    });
  }
  return out;
}

describe('embedded ledger: chaincode events', () => {
  let f: ProbeFixture;
  beforeEach(async () => {
    f = await openProbeFixture({ ledger: { mvccRetries: 0 } });
  });
  afterEach(async () => {
    await f.cleanup();
  });

  it('delivers live events of valid transactions in commit order, one per transaction (its last)', async () => {
    const live = collect(f.ledger, 40);
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => f.submit('Emit', `probe.e${i}`, `payload-${i}`)));
    const events = await live;
    expect(events.map(({ txId, name, blockNumber }) => ({ txId, name, blockNumber }))).to.deep.equal(await eventsInBlockOrder(f));
    expect(new Set(events.map((e) => e.txId))).to.deep.equal(new Set(results.map((r) => r.txId)));
    for (const e of events) {
      expect(e.name).to.match(/^probe\.e\d+$/);
      expect(e.payload.toString()).to.equal(`payload-${e.name.slice('probe.e'.length)}`);
    }
    const blocks = events.map((e) => e.blockNumber);
    expect([...blocks].sort((a, b) => a - b)).to.deep.equal(blocks);
  });

  it('replays past events from a given block number, then continues live', async () => {
    for (let i = 0; i < 5; i++) await f.submit('Emit', `probe.e${i}`, String(i));
    await f.submit('Put', 'no-event', '1');
    const replay = await collect(f.ledger, 3, 2);
    expect(replay.map((e) => [e.blockNumber, e.name])).to.deep.equal([
      [2, 'probe.e2'],
      [3, 'probe.e3'],
      [4, 'probe.e4'],
    ]);

    const fromStart = collect(f.ledger, 7, 0);
    await f.submit('Emit', 'probe.e5', '5');
    await f.submit('Emit', 'probe.e6', '6');
    const all = await fromStart;
    expect(all.map((e) => e.name)).to.deep.equal(['probe.e0', 'probe.e1', 'probe.e2', 'probe.e3', 'probe.e4', 'probe.e5', 'probe.e6']);
    expect(all.map((e) => e.blockNumber)).to.deep.equal([0, 1, 2, 3, 4, 6, 7]);
  });

  it('survives a reopen: events can be replayed from the stored blocks', async () => {
    await f.submit('Emit', 'probe.before', 'x');
    const ledger = await f.reopen();
    const events = await collect(ledger, 1, 0);
    expect(events[0]?.name).to.equal('probe.before');
  });

  it('does not deliver the event of an invalidated transaction', async () => {
    await f.submit('Put', 'x', '0');
    const g = gate('reader');
    const reader = f.submit('ReadWaitPut', 'x', 'reader', '[]');
    await g.arrived();
    await f.submit('Put', 'x', '1');
    g.open();
    const err = await expectLedgerError(reader, 'MVCC_CONFLICT');
    const invalid = await f.ledger.getTransaction(err.transactionId as string);
    const block = (await f.ledger.getBlock(invalid?.blockNumber as number)) as Block;
    // The invalid transaction did set an event, and its block records it...
    expect(block.data[invalid?.txIndex as number]?.event?.name).to.equal('probe.read-wait-put');
    await f.submit('Emit', 'probe.after', 'y');
    // ...but the stream skips it.
    const events = await collect(f.ledger, 1, invalid?.blockNumber);
    expect(events.map((e) => e.name)).to.deep.equal(['probe.after']);
  });

  it('stops a waiting consumer when its signal aborts or the ledger closes', async () => {
    const controller = new AbortController();
    const seen: ChaincodeEvent[] = [];
    const consumer = (async () => {
      for await (const e of f.ledger.events({ signal: controller.signal })) seen.push(e);
    })();
    setTimeout(() => controller.abort(), 20);
    await consumer;
    expect(seen).to.deep.equal([]);
    const second = (async () => {
      for await (const e of f.ledger.events({})) seen.push(e);
    })();
    await f.ledger.close();
    await second;
    expect(seen).to.deep.equal([]);
  });
});
