import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { LightMyRequestResponse } from 'fastify';
import { tx as catalogue } from '../../chaincode/src/catalogue';
import { buildApp } from '../../gateway-api/src/app';
import { ApiKeyStore } from '../../gateway-api/src/auth/api-keys';
import { cstDayOf, ExplorerIndex } from '../../gateway-api/src/explorer/explorer-index';
import { headerHash } from '../../gateway-api/src/ledger/embedded/block-format';
import { EmbeddedLedger } from '../../gateway-api/src/ledger/embedded/embedded-ledger';
import { LedgerError } from '../../gateway-api/src/ledger/errors';
import { SubmitResult } from '../../gateway-api/src/ledger/ledger';
import { AppFixture, openAppFixture } from '../support/app-fixture';
import { FENGXIAN, HUIXIAN, LedgerFixture, LIANGDANG, openLedgerFixture } from '../support/ledger-fixture';
import { probe } from '../support/probe';
import { gate, ProbeContract } from '../support/probe-contract';

const B = '/api/v1';

function expectProblem(res: LightMyRequestResponse, status: number, code: string, what: string): void {
  expect(res.statusCode, `${what}: ${res.body.slice(0, 300)}`).to.equal(status);
  expect(res.headers['content-type'], what).to.match(/^application\/problem\+json/);
  expect(res.json().code, what).to.equal(code);
}

/** Transactions per creator county per CST day, counted from the stored blocks themselves. */
async function countsFromBlocks(ledger: EmbeddedLedger): Promise<Map<string, { transactions: number; valid: number }>> {
  const out = new Map<string, { transactions: number; valid: number }>();
  for (let n = 0; n < (await ledger.height()); n++) {
    const block = (await ledger.getBlock(n))!;
    block.data.forEach((t, i) => {
      const day = cstDayOf(new Date(t.timestamp.seconds * 1000 + Math.floor(t.timestamp.nanos / 1e6)).toISOString());
      const key = `${day} ${t.creator.mspId}`;
      const c = out.get(key) ?? { transactions: 0, valid: 0 };
      c.transactions++;
      if (block.metadata.validationCodes[i] === 'VALID') c.valid++;
      out.set(key, c);
    });
  }
  return out;
}

const shift = (day: string, days: number) => new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

describe('gateway explorer for auditors: /blocks, /transactions (embedded ledger)', () => {
  let f: AppFixture;
  let auditor: string;
  let regulator: string;
  let putMany: SubmitResult;
  let range: SubmitResult;

  before(async () => {
    // mvccRetries 0: a read conflict stays an invalid transaction in its block, for the counts.
    f = await openAppFixture({ extraContracts: [ProbeContract], ledger: { mvccRetries: 0 } });
    await f.grant(FENGXIAN, 'aud', 'auditor');
    await f.grant(LIANGDANG, 'reg', 'regulator');
    auditor = await f.keyFor(FENGXIAN, 'aud');
    regulator = await f.keyFor(LIANGDANG, 'reg');
    const writer = await f.ledger.identity(HUIXIAN, 'writer');
    await f.ledger.ledger.submit(writer, probe('Put', 'ex/b', 'old-value'));
    putMany = await f.ledger.ledger.submit(
      writer,
      probe(
        'PutMany',
        JSON.stringify([
          ['ex/a', 'secret-value-1'],
          ['ex/b', null],
        ]),
      ),
    );
    range = await f.ledger.ledger.submit(writer, probe('CountRange', 'ex/', 'ex/~', '', 'ex/count'));
  });
  after(async () => f?.close());

  const get = (url: string, key = auditor) => f.request('GET', `${B}${url}`, key);

  it('lists blocks newest first, a page at a time with ?before=, each linked to the one before it', async () => {
    const height = await f.ledger.ledger.height();
    const first = await get('/blocks?limit=2');
    expect(first.statusCode, first.body).to.equal(200);
    const page = first.json();
    expect(page.items.map((b: { number: number }) => b.number)).to.deep.equal([height - 1, height - 2]);
    expect(page).to.include({ height, nextBefore: height - 2 });
    expect(page.index).to.include({ indexedHeight: height, height });

    const seen: number[] = [];
    const blocks: Array<{ number: number; headerHash: string; previousHash: string; dataHash: string; txCount: number; time: string }> = [];
    let before: number | undefined;
    for (let pages = 0; pages < 50; pages++) {
      const res = await get(`/blocks?limit=3${before === undefined ? '' : `&before=${before}`}`);
      expect(res.statusCode, res.body).to.equal(200);
      blocks.push(...res.json().items);
      seen.push(...res.json().items.map((b: { number: number }) => b.number));
      before = res.json().nextBefore;
      if (before === undefined) break;
    }
    expect(seen).to.deep.equal(Array.from({ length: height }, (_, i) => height - 1 - i));
    for (const b of blocks) {
      const stored = (await f.ledger.ledger.getBlock(b.number))!;
      expect(b.headerHash).to.equal(headerHash(stored.header));
      expect(b).to.include({ previousHash: stored.header.previousHash, dataHash: stored.header.dataHash, txCount: stored.data.length });
      const t = stored.data[0]!.timestamp;
      expect(b.time).to.equal(new Date(t.seconds * 1000 + Math.floor(t.nanos / 1e6)).toISOString());
    }
    for (let i = 0; i + 1 < blocks.length; i++) expect(blocks[i]!.previousHash).to.equal(blocks[i + 1]!.headerHash);
    // A cursor past the head starts at the head; before=0 is an empty last page.
    expect((await get(`/blocks?limit=1&before=${height + 50}`)).json().items[0].number).to.equal(height - 1);
    expect((await get('/blocks?before=0')).json()).to.deep.include({ items: [] });
  });

  it('a block with its transactions: creator county and member, endorsers, function, read and write keys, never values', async () => {
    const res = await get(`/blocks/${putMany.blockNumber}`);
    expect(res.statusCode, res.body).to.equal(200);
    const block = res.json();
    expect(block.number).to.equal(putMany.blockNumber);
    expect(block.txCount).to.equal(block.transactions.length);
    const t = block.transactions.find((x: { txId: string }) => x.txId === putMany.txId);
    expect(t).to.deep.include({
      type: 'ENDORSER_TRANSACTION',
      validationCode: 'VALID',
      creator: { mspId: HUIXIAN, member: 'writer' },
      chaincode: 'countyledger',
      transactionName: probe('PutMany').name,
      writeKeys: ['ex/a', 'ex/b'],
      deletedKeys: ['ex/b'],
      readKeys: [],
      privateCollections: [],
    });
    const stored = (await f.ledger.ledger.getBlock(putMany.blockNumber))!.data[t.txIndex]!;
    expect(t.endorsingOrganisations).to.deep.equal([...new Set(stored.endorsements.map((e) => e.mspId))].sort());
    expect(t.endorsingOrganisations).to.include(HUIXIAN);
    expect(res.body).not.to.include('secret-value-1');
    expect(res.body).not.to.include(Buffer.from('secret-value-1').toString('base64'));
    expectProblem(await get(`/blocks/${await f.ledger.ledger.height()}`), 404, 'NOT_FOUND', 'a block beyond the height');
  });

  it('a transaction by ID with its block, validation code, read keys and range reads', async () => {
    const res = await get(`/transactions/${range.txId}`);
    expect(res.statusCode, res.body).to.equal(200);
    const t = res.json();
    expect(t).to.deep.include({
      txId: range.txId,
      blockNumber: range.blockNumber,
      validationCode: 'VALID',
      transactionName: probe('CountRange').name,
      rangeReads: [{ startKey: 'ex/', endKey: 'ex/~' }],
      writeKeys: ['ex/count'],
    });
    const stored = (await f.ledger.ledger.getBlock(range.blockNumber))!.data[t.txIndex]!;
    expect(stored.txId).to.equal(range.txId);
    expect(t.readKeys).to.deep.equal(stored.rwset.reads.map(([k]) => k));
    // A role grant: the county admin's own transaction, its keys those the block records.
    const grant = (await f.ledger.ledger.getBlock(0))!.data[0]!;
    const g = (await get(`/transactions/${grant.txId}`)).json();
    expect(g).to.deep.include({ creator: { mspId: FENGXIAN, member: 'admin' }, transactionName: catalogue.membership.grantRole.qualifiedName });
    expect(g.writeKeys).to.deep.equal(grant.rwset.writes.map(([k]) => k));
    expectProblem(await get(`/transactions/${'0'.repeat(64)}`), 404, 'NOT_FOUND', 'an unknown transaction');
  });

  it('search by block hash finds the block (any case); an unknown hash is 404', async () => {
    const stored = (await f.ledger.ledger.getBlock(range.blockNumber))!;
    const hash = headerHash(stored.header);
    const res = await get(`/blocks/by-hash/${hash.toUpperCase()}`);
    expect(res.statusCode, res.body).to.equal(200);
    expect(res.json()).to.include({ number: range.blockNumber, headerHash: hash });
    expect(res.json().transactions.map((t: { txId: string }) => t.txId)).to.deep.equal(stored.data.map((t) => t.txId));
    // The data hash is no header hash.
    expectProblem(await get(`/blocks/by-hash/${stored.header.dataHash}`), 404, 'NOT_FOUND', 'a data hash');
    expectProblem(await get(`/blocks/by-hash/${'ab'.repeat(32)}`), 404, 'NOT_FOUND', 'an unknown hash');
  });

  it('transactions per county per CST day match the blocks and what this test submitted, invalid ones counted apart', async () => {
    const today = cstDayOf(new Date().toISOString());
    const window = `from=${shift(today, -1)}&to=${shift(today, 1)}`;
    const totalsOf = async () => {
      const res = await get(`/transactions/daily?${window}`);
      expect(res.statusCode, res.body).to.equal(200);
      return Object.fromEntries(res.json().totals.map((t: { mspId: string; transactions: number; valid: number }) => [t.mspId, t]));
    };
    const before = await totalsOf();

    const huixian = await f.ledger.identity(HUIXIAN, 'writer');
    for (let i = 0; i < 3; i++) await f.ledger.ledger.submit(huixian, probe('Put', `ex/day-${i}`, 'v'));
    // Three Fengxian increments read the counter before any commits: one is valid, two are read conflicts.
    const fengxian = await f.ledger.identity(FENGXIAN, 'counter');
    const g = gate('explorer-inc');
    const increments = Array.from({ length: 3 }, () => f.ledger.ledger.submit(fengxian, probe('Increment', 'ex/counter', 'explorer-inc')));
    await g.arrived(3);
    g.open();
    const settled = await Promise.allSettled(increments);
    expect(settled.filter((s) => s.status === 'rejected').map((s) => ((s as PromiseRejectedResult).reason as LedgerError).code)).to.deep.equal([
      'MVCC_CONFLICT',
      'MVCC_CONFLICT',
    ]);

    const after = await totalsOf();
    const delta = (msp: string) => ({
      transactions: (after[msp]?.transactions ?? 0) - (before[msp]?.transactions ?? 0),
      valid: (after[msp]?.valid ?? 0) - (before[msp]?.valid ?? 0),
    });
    expect(delta(HUIXIAN)).to.deep.equal({ transactions: 3, valid: 3 });
    expect(delta(FENGXIAN)).to.deep.equal({ transactions: 3, valid: 1 });
    expect(delta(LIANGDANG)).to.deep.equal({ transactions: 0, valid: 0 });

    // Every row agrees with a count made from the stored blocks.
    const res = await get(`/transactions/daily?${window}`);
    const expected = await countsFromBlocks(f.ledger.ledger);
    const rows = res.json().days as Array<{ day: string; mspId: string; transactions: number; valid: number }>;
    expect(rows.length).to.be.greaterThan(0);
    expect(new Map(rows.map((r) => [`${r.day} ${r.mspId}`, { transactions: r.transactions, valid: r.valid }]))).to.deep.equal(expected);
    expect(res.json().index).to.include({ indexedHeight: await f.ledger.ledger.height() });

    // One county; a range with no activity.
    const one = (await get(`/transactions/daily?${window}&county=${FENGXIAN}`)).json();
    expect(one.county).to.equal(FENGXIAN);
    expect(one.days.every((d: { mspId: string }) => d.mspId === FENGXIAN)).to.equal(true);
    expect(one.totals).to.deep.equal([{ mspId: FENGXIAN, ...after[FENGXIAN] }]);
    const empty = (await get('/transactions/daily?from=2001-01-01&to=2001-12-31')).json();
    expect(empty).to.deep.include({ from: '2001-01-01', to: '2001-12-31', days: [], totals: [] });
    // Without a range: the last 30 CST days up to today.
    const dflt = (await get('/transactions/daily')).json();
    expect(dflt).to.include({ to: today, from: shift(today, -29) });
  });

  it('auditors only: a regulator is refused 403 and a caller without a key 401, on every explorer route', async () => {
    const hash = headerHash((await f.ledger.ledger.getBlock(0))!.header);
    const urls = ['/blocks', '/blocks/0', `/blocks/by-hash/${hash}`, `/transactions/${range.txId}`, '/transactions/daily'];
    for (const url of urls) {
      expect((await get(url)).statusCode, url).to.equal(200);
      const refused = await get(url, regulator);
      expectProblem(refused, 403, 'FORBIDDEN', `${url} as a regulator`);
      expect(refused.json().detail).to.equal('this needs the auditor role');
      expectProblem(await f.request('GET', `${B}${url}`), 401, 'UNAUTHENTICATED', `${url} without a key`);
    }
  });

  it('refuses bad input with 400 problem+json, before asking about roles', async () => {
    const bad = [
      '/blocks?limit=0',
      '/blocks?limit=101',
      '/blocks?limit=ten',
      '/blocks?before=-1',
      '/blocks?before=abc',
      '/blocks?before=1.5',
      '/blocks/abc',
      '/blocks/-1',
      '/blocks/by-hash/xyz',
      `/blocks/by-hash/${'a'.repeat(63)}`,
      '/transactions/not-a-transaction',
      `/transactions/${'A'.repeat(64)}`,
      '/transactions/daily?from=2024-02-30',
      '/transactions/daily?from=2024-03-02&to=2024-03-01',
      '/transactions/daily?from=2023-01-01&to=2024-01-02',
      '/transactions/daily?county=not%20a%20county',
    ];
    for (const url of bad) {
      expectProblem(await get(url), 400, 'INVALID_ARGUMENT', url);
      expectProblem(await get(url, regulator), 400, 'INVALID_ARGUMENT', `${url} as a regulator`);
    }
    // 366 days is the longest range.
    expect((await get('/transactions/daily?from=2023-01-01&to=2024-01-01')).statusCode).to.equal(200);
  });

  it('documents every explorer route in OpenAPI with a typed response', async () => {
    const doc = f.app.swagger() as unknown as { paths: Record<string, Record<string, { responses: Record<string, { content?: unknown }> }>> };
    for (const p of [
      '/api/v1/blocks',
      '/api/v1/blocks/{number}',
      '/api/v1/blocks/by-hash/{hash}',
      '/api/v1/transactions/{txId}',
      '/api/v1/transactions/daily',
    ]) {
      const op = doc.paths[p]?.get;
      expect(op, p).to.not.equal(undefined);
      expect(op!.responses['200']?.content, p).to.not.equal(undefined);
      for (const status of ['400', '401', '403']) expect(op!.responses[status], `${p} ${status}`).to.not.equal(undefined);
    }
  });
});

describe('gateway explorer over the MessagePort (as the HTTP worker reaches the ledger)', () => {
  let f: AppFixture;
  let auditor: string;
  before(async () => {
    f = await openAppFixture({ overMessagePort: true });
    await f.grant(HUIXIAN, 'aud', 'auditor');
    auditor = await f.keyFor(HUIXIAN, 'aud');
  });
  after(async () => f?.close());

  it('answers the same block and transaction views, and finds a block by hash through the index', async () => {
    const height = await f.ledger.ledger.height();
    const stored = (await f.ledger.ledger.getBlock(height - 1))!;
    const byNumber = await f.request('GET', `${B}/blocks/${height - 1}`, auditor);
    expect(byNumber.statusCode, byNumber.body).to.equal(200);
    expect(byNumber.json()).to.deep.equal(await f.ledger.ledger.blockView(height - 1));
    const byHash = await f.request('GET', `${B}/blocks/by-hash/${headerHash(stored.header)}`, auditor);
    expect(byHash.json()).to.deep.equal(byNumber.json());
    const t = await f.request('GET', `${B}/transactions/${stored.data[0]!.txId}`, auditor);
    expect(t.json()).to.deep.equal(await f.ledger.ledger.transactionView(stored.data[0]!.txId));
    expect((await f.request('GET', `${B}/blocks`, auditor)).json().items).to.have.length(height);
  });
});

describe('gateway explorer index (explorer/explorer-index.ts)', () => {
  let ledger: LedgerFixture;
  let dir: string;
  beforeEach(async () => {
    ledger = await openLedgerFixture({ extraContracts: [ProbeContract] });
    dir = mkdtempSync(path.join(os.tmpdir(), 'cl-explorer-'));
    const writer = await ledger.identity(LIANGDANG, 'writer');
    for (let i = 0; i < 12; i++) await ledger.ledger.submit(writer, probe('Put', `k${i}`, 'v'));
  });
  afterEach(async () => {
    await ledger.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('does bounded work per query, says how far it is, and catches up in the background', async () => {
    const index = await ExplorerIndex.open(dir, ledger.ledger, { maxBlocksPerQuery: 5, batchBlocks: 2 });
    try {
      const first = await index.catchUp();
      expect(first.indexedHeight).to.be.at.least(5).and.below(12);
      expect(first.height).to.equal(12);
      for (let i = 0; i < 100 && index.indexedHeight < 12; i++) await new Promise((r) => setTimeout(r, 10));
      expect(await index.progress()).to.deep.equal({ indexedHeight: 12, height: 12, catchingUp: false });
      expect((await index.summaries(12, 100)).map((s) => s.number)).to.deep.equal([11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
    } finally {
      await index.close();
    }
  });

  it('goes on from its head after a restart, and starts again from block 0 when the ledger is another chain', async () => {
    let index = await ExplorerIndex.open(dir, ledger.ledger);
    await index.catchUp();
    await index.close();
    const writer = await ledger.identity(LIANGDANG, 'writer');
    await ledger.ledger.submit(writer, probe('Put', 'k12', 'v'));
    index = await ExplorerIndex.open(dir, ledger.ledger);
    expect(index.indexedHeight).to.equal(12);
    expect((await index.catchUp()).indexedHeight).to.equal(13);
    const day = cstDayOf(new Date().toISOString());
    const count = async () => (await index.dailyCounts(shift(day, -1), shift(day, 1))).reduce((n, d) => n + d.transactions, 0);
    expect(await count()).to.equal(13);
    await index.close();

    // Another ledger of more blocks: its block 13 does not link to the indexed block 12.
    const other = await openLedgerFixture({ extraContracts: [ProbeContract] });
    const logged: string[] = [];
    try {
      const w = await other.identity(HUIXIAN, 'writer');
      for (let i = 0; i < 15; i++) await other.ledger.submit(w, probe('Put', `o${i}`, 'v'));
      index = await ExplorerIndex.open(dir, other.ledger, { log: (m) => logged.push(m) });
      await index.catchUp();
      expect(
        logged.some((m) => /rebuilt from block 0: block 13 does not link/.test(m)),
        logged.join('\n'),
      ).to.equal(true);
      for (let i = 0; i < 100 && index.indexedHeight < 15; i++) await new Promise((r) => setTimeout(r, 10));
      expect(index.indexedHeight).to.equal(15);
      const rows = await index.dailyCounts(shift(day, -1), shift(day, 1));
      expect(rows.map((r) => r.mspId)).to.deep.equal(rows.map(() => HUIXIAN));
      expect(rows.reduce((n, d) => n + d.transactions, 0)).to.equal(15);
      const head = (await other.ledger.getBlock(14))!;
      expect(await index.blockNumberOfHash(headerHash(head.header))).to.equal(14);
      await index.close();
    } finally {
      await other.cleanup();
    }
  });

  it('a list the index has not reached yet takes the newest blocks from the ledger, and pages on through the index', async () => {
    const keys = await ApiKeyStore.open(path.join(dir, 'keys.json'));
    const app = await buildApp({
      ledger: ledger.ledger,
      keys,
      identities: ledger.wallet,
      stateDir: path.join(dir, 'gateway'),
      explorerIndex: { maxBlocksPerQuery: 2 },
    });
    try {
      const admin = await ledger.identity(HUIXIAN, 'admin');
      await ledger.ledger.submit(admin, { name: catalogue.membership.grantRole.qualifiedName, args: [JSON.stringify({ member: 'aud', role: 'auditor' })] });
      await ledger.identity(HUIXIAN, 'aud');
      const key = (await keys.create(HUIXIAN, 'aud')).apiKey;
      const height = await ledger.ledger.height();
      const page = async (query: string) => {
        const res = await app.inject({ method: 'GET', url: `${B}/blocks?${query}`, headers: { authorization: `Bearer ${key}` } });
        expect(res.statusCode, res.body).to.equal(200);
        return res.json();
      };
      const first = await page('limit=5');
      expect(first.index.indexedHeight).to.be.below(height - 5);
      expect(first.items.map((b: { number: number }) => b.number)).to.deep.equal([12, 11, 10, 9, 8]);
      for (const b of first.items) expect(b.headerHash).to.equal(headerHash((await ledger.ledger.getBlock(b.number))!.header));
      const numbers: number[] = first.items.map((b: { number: number }) => b.number);
      for (let before = first.nextBefore; before !== undefined;) {
        const next = await page(`limit=5&before=${before}`);
        numbers.push(...next.items.map((b: { number: number }) => b.number));
        before = next.nextBefore;
      }
      expect(numbers).to.deep.equal(Array.from({ length: height }, (_, i) => height - 1 - i));
    } finally {
      await app.close();
    }
  });

  it('with catchUpAtStart the app indexes every block once ready, before any query', async () => {
    // The app reads blocks through a ledger that notes which it was asked for.
    const asked = new Set<number>();
    const real = ledger.ledger;
    const noting = new Proxy(real, {
      get(target, prop) {
        if (prop === 'blockView')
          return (n: number) => {
            asked.add(n);
            return target.blockView(n);
          };
        const value = Reflect.get(target, prop) as unknown;
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
    const keys = await ApiKeyStore.open(path.join(dir, 'keys.json'));
    const stateDir = path.join(dir, 'gateway');
    const app = await buildApp({ ledger: noting, keys, identities: ledger.wallet, stateDir, explorerIndex: { catchUpAtStart: true } });
    try {
      expect(asked.size).to.equal(0);
      await app.ready();
      for (let i = 0; i < 200 && asked.size < 12; i++) await new Promise((r) => setTimeout(r, 10));
      expect([...asked].sort((a, b) => a - b)).to.deep.equal(Array.from({ length: 12 }, (_, i) => i));
    } finally {
      await app.close();
    }
    const index = await ExplorerIndex.open(path.join(stateDir, 'explorer-index'), ledger.ledger);
    try {
      expect(index.indexedHeight).to.equal(12);
    } finally {
      await index.close();
    }
  });
});
