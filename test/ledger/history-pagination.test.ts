import { expect } from 'chai';
import { expectLedgerError } from '../support/expect-error';
import { openProbeFixture, ProbeFixture } from '../support/probe';

interface HistoryEntry {
  txId: string;
  isDelete: boolean;
  value: string | null;
  seconds: number;
}

describe('embedded ledger: key history and pagination', () => {
  let f: ProbeFixture;
  beforeEach(async () => {
    f = await openProbeFixture({ ledger: { mvccRetries: 0 } });
  });
  afterEach(async () => {
    await f.cleanup();
  });

  describe('getHistoryForKey', () => {
    it('lists every committed change of a key newest first, with transaction IDs and deletes marked', async () => {
      const t1 = await f.submit('Put', 'h', 'one');
      const t2 = await f.submit('Put', 'h', 'two');
      await f.submit('Put', 'h-other', 'unrelated');
      const t3 = await f.submit('Delete', 'h');
      const t4 = await f.submit('Put', 'h', 'three');
      const history = (await f.evaluate('History', 'h')) as HistoryEntry[];
      expect(history.map(({ txId, isDelete, value }) => ({ txId, isDelete, value }))).to.deep.equal([
        { txId: t4.txId, isDelete: false, value: 'three' },
        { txId: t3.txId, isDelete: true, value: null },
        { txId: t2.txId, isDelete: false, value: 'two' },
        { txId: t1.txId, isDelete: false, value: 'one' },
      ]);
      const seconds = history.map((h) => h.seconds);
      expect([...seconds].sort((a, b) => b - a)).to.deep.equal(seconds);
      expect(seconds[0]).to.be.within(Math.floor(Date.now() / 1000) - 60, Math.ceil(Date.now() / 1000));
    });

    it('keeps the histories of keys that share a prefix apart, and is empty for an unknown key', async () => {
      await f.submit('Put', 'ab', '1');
      await f.submit('Put', 'a', '2');
      await f.submit('Put', 'abc', '3');
      expect(((await f.evaluate('History', 'a')) as HistoryEntry[]).map((h) => h.value)).to.deep.equal(['2']);
      expect(((await f.evaluate('History', 'ab')) as HistoryEntry[]).map((h) => h.value)).to.deep.equal(['1']);
      expect(await f.evaluate('History', 'never-written')).to.deep.equal([]);
    });

    it('returns long histories in full, across the iterator batches', async () => {
      for (let i = 0; i < 3; i++) {
        await Promise.all(Array.from({ length: 50 }, (_, j) => f.submit('PutMany', JSON.stringify([[`long`, `${i}-${j}`]]))));
      }
      const history = (await f.evaluate('History', 'long')) as HistoryEntry[];
      expect(history).to.have.length(150);
      expect(new Set(history.map((h) => h.txId)).size).to.equal(150);
      expect(history[0]?.value).to.equal(await f.valueOf('long'));
    });
  });

  describe('range queries with pagination', () => {
    beforeEach(async () => {
      const pairs = Array.from({ length: 25 }, (_, i) => [`k${String(i).padStart(3, '0')}`, `v${i}`]);
      await f.submit('PutMany', JSON.stringify([...pairs, ['j-before', 'x'], ['l-after', 'x']]));
    });

    it('pages through [start, end) with bookmarks until the last page', async () => {
      const pages: Array<{ keys: string[]; bookmark: string; fetched: number }> = [];
      let bookmark = '';
      do {
        const page = await f.evaluate('PageRange', 'k', 'l', '10', bookmark);
        pages.push(page);
        bookmark = page.bookmark;
      } while (bookmark && pages.length < 10);
      expect(pages.map((p) => p.keys.length)).to.deep.equal([10, 10, 5]);
      expect(pages.map((p) => p.fetched)).to.deep.equal([10, 10, 5]);
      expect(pages[0]?.bookmark).to.equal('k010');
      expect(pages[1]?.bookmark).to.equal('k020');
      expect(pages[2]?.bookmark).to.equal('');
      const all = pages.flatMap((p) => p.keys);
      expect(all).to.deep.equal(Array.from({ length: 25 }, (_, i) => `k${String(i).padStart(3, '0')}`));
    });

    it('gives an empty bookmark when the last page is exactly full', async () => {
      const first = await f.evaluate('PageRange', 'k', 'k020', '10', '');
      const second = await f.evaluate('PageRange', 'k', 'k020', '10', first.bookmark);
      expect(second.keys).to.have.length(10);
      expect(second.bookmark).to.equal('');
    });

    it('treats an empty start or end as unbounded', async () => {
      const page = await f.evaluate('PageRange', '', '', '100', '');
      expect(page.keys).to.have.length(27);
      expect(page.keys[0]).to.equal('j-before');
      expect(page.keys[26]).to.equal('l-after');
    });
  });

  describe('partial composite key queries with pagination', () => {
    beforeEach(async () => {
      for (const [county, n] of [
        ['621228', 7],
        ['6212280', 2],
        ['621227', 3],
      ] as const) {
        await Promise.all(Array.from({ length: n }, (_, i) => f.submit('PutComposite', 'asset', JSON.stringify([county, `a${i}`]), `${county}/${i}`, '')));
      }
      await f.submit('PutComposite', 'assets', JSON.stringify(['621228', 'z']), 'other type', '');
    });

    it('pages through the keys under a partial key only, not those of a longer attribute or another type', async () => {
      const p1 = await f.evaluate('PagePartial', 'asset', JSON.stringify(['621228']), '3', '');
      const p2 = await f.evaluate('PagePartial', 'asset', JSON.stringify(['621228']), '3', p1.bookmark);
      const p3 = await f.evaluate('PagePartial', 'asset', JSON.stringify(['621228']), '3', p2.bookmark);
      expect([p1, p2, p3].map((p) => p.attrs.length)).to.deep.equal([3, 3, 1]);
      expect(p1.bookmark).to.not.equal('');
      expect(p3.bookmark).to.equal('');
      expect([p1, p2, p3].flatMap((p) => p.attrs)).to.deep.equal(Array.from({ length: 7 }, (_, i) => ['621228', `a${i}`]));
    });

    it('lists every key of an object type with an empty partial key', async () => {
      const page = await f.evaluate('PagePartial', 'asset', '[]', '50', '');
      expect(page.attrs).to.have.length(12);
      expect(page.bookmark).to.equal('');
    });

    it('counts the same keys without pagination inside an update transaction', async () => {
      const r = await f.submit('CountPartial', 'asset', JSON.stringify(['621228']), '', 'count');
      expect(r.payload.toString()).to.equal('7');
    });

    it('iterates ranges of exactly one, two or more batches of 100 and one short of them (the peer says "more" only when there is)', async () => {
      for (const n of [99, 100, 101, 200, 201]) {
        const county = `b${n}`;
        await f.submit(
          'PutMany',
          JSON.stringify(Array.from({ length: n }, (_, i) => [`\u0000asset\u0000${county}\u0000a${String(i).padStart(3, '0')}\u0000`, 'x'])),
        );
        const r = await f.submit('CountPartial', 'asset', JSON.stringify([county]), '', `count-${county}`);
        expect(r.payload.toString(), `${n} keys`).to.equal(String(n));
      }
    });
  });

  describe('pagination is for read-only transactions, as on Fabric', () => {
    it('refuses a paginated query after a write in the same transaction, writing nothing', async () => {
      const err = await expectLedgerError(f.submit('PutThenPage', 'w'), 'INTERNAL');
      expect(String((err.cause as Error).message)).to.match(/paginated/);
      expect(await f.valueOf('w')).to.equal(null);
      expect(await f.ledger.height()).to.equal(0);
    });

    it('refuses a write after a paginated query in the same transaction, writing nothing', async () => {
      const err = await expectLedgerError(f.submit('PageThenPut', 'w'), 'INTERNAL');
      expect(String((err.cause as Error).message)).to.match(/paginated/);
      expect(await f.valueOf('w')).to.equal(null);
      expect(await f.ledger.height()).to.equal(0);
    });
  });
});
