import { expect } from 'chai';
import { BlockStore } from '../../gateway-api/src/ledger/embedded/block-store';
import { openProbeFixture, ProbeFixture } from '../support/probe';

// What must not grow with the ledger (issue 17): the committed-state cache stays within its bounds
// in entries, bytes and the memory its values keep alive, and start-up reads the chain's head only.
describe('embedded ledger: what grows with the ledger', function () {
  this.timeout(30_000);
  let f: ProbeFixture;
  afterEach(async () => f?.cleanup());

  const pairs = (from: number, n: number, value: (i: number) => string) =>
    JSON.stringify(Array.from({ length: n }, (_, i) => [`g${from + i}`, value(from + i)]));

  it('the committed-state cache keeps within its entry bound, and keys it dropped still read their committed values', async () => {
    f = await openProbeFixture({ ledger: { stateCache: { entries: 40 } } });
    for (let t = 0; t < 4; t++)
      await f.submit(
        'PutMany',
        pairs(t * 30, 30, (i) => `v${i}`),
      );
    expect(f.ledger.store.cacheFootprint().entries).to.be.at.most(40);
    for (let i = 0; i < 120; i += 7) expect(await f.valueOf(`g${i}`)).to.equal(`v${i}`);
    const after = f.ledger.store.cacheFootprint();
    // Not blind: reads fill the cache, up to its bound.
    expect(after.entries).to.be.above(0).and.at.most(40);
  });

  it('the committed-state cache keeps within its byte bound', async () => {
    f = await openProbeFixture({ ledger: { stateCache: { entries: 10_000, bytes: 16 * 1024 } } });
    for (let t = 0; t < 3; t++)
      await f.submit(
        'PutMany',
        pairs(t * 20, 20, (i) => `${i}:${'x'.repeat(1000)}`),
      );
    const footprint = f.ledger.store.cacheFootprint();
    expect(footprint.bytes).to.be.at.most(16 * 1024);
    expect(footprint.entries).to.be.above(0).and.below(20);
    for (let i = 0; i < 60; i += 9) expect(await f.valueOf(`g${i}`)).to.equal(`${i}:${'x'.repeat(1000)}`);
    expect(f.ledger.store.cacheFootprint().bytes).to.be.at.most(16 * 1024);
  });

  it('a cached value keeps only its own bytes alive, not the pooled slab it was copied into', async () => {
    f = await openProbeFixture();
    const values: string[] = [];
    for (let i = 0; i < 40; i++) {
      values.push(`small value ${i}`);
      await f.submit('Put', `slab${i}`, values[i] as string);
    }
    const footprint = f.ledger.store.cacheFootprint();
    expect(footprint.entries).to.equal(40);
    // Each value in a block of its own size: a slice of an 8 KiB pool slab would count the slab.
    expect(footprint.retainedBytes).to.equal(values.reduce((n, v) => n + Buffer.byteLength(v), 0));
  });

  it('a value larger than CACHE_VALUE_MAX is read from the store each time, not cached', async () => {
    f = await openProbeFixture();
    const big = 'b'.repeat(BlockStore.CACHE_VALUE_MAX + 1);
    await f.submit('Put', 'small', 's');
    await f.submit('Put', 'big', big);
    expect(f.ledger.store.cacheFootprint().entries).to.equal(1);
    expect(await f.valueOf('big')).to.equal(big);
    expect(await f.valueOf('small')).to.equal('s');
    expect(f.ledger.store.cacheFootprint().entries).to.equal(1);
  });

  it('start-up reads the last block, not the chain: a ledger whose older blocks cannot be parsed still opens (only --verify-on-start reads them)', async () => {
    f = await openProbeFixture();
    for (let i = 0; i < 6; i++) await f.submit('Put', `k${i}`, `v${i}`);
    const height = await f.ledger.height();
    for (let n = 0; n < height - 1; n++) await f.ledger.store.tamperWithBlockForTest(n, Buffer.from('not a block'));
    // Not blind: those blocks really cannot be read.
    let unreadable: unknown;
    await f.ledger.getBlock(0).catch((err: unknown) => (unreadable = err));
    expect(unreadable).to.be.instanceOf(Error);
    await f.reopen();
    expect(await f.ledger.height()).to.equal(height);
    expect((await f.submit('Put', 'after', 'ok')).blockNumber).to.equal(height);
    expect(await f.valueOf('k3')).to.equal('v3');
  });
});
