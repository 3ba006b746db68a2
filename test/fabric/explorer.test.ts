import { expect } from 'chai';
import { tx } from '../../chaincode/src/catalogue';
import { cstDayOf } from '../../gateway-api/src/explorer/explorer-index';
import { fabricHeaderHash } from '../../gateway-api/src/ledger/fabric/blocks';
import { FabricAppFixture, openFabricApp, runId } from './fabric-fixture';

const LIANGDANG = 'LiangdangMSP';
const B = '/api/v1';
const shift = (day: string, days: number) => new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

describe("on Fabric: the auditors' explorer over the peer's own blocks", () => {
  let f: FabricAppFixture;
  let admin: string;
  let auditor: string;
  let regulator: string;
  before(async () => {
    f = await openFabricApp(LIANGDANG);
    admin = await f.keyFor(LIANGDANG, 'admin');
    for (const [member, role] of [
      [`exp-aud-${runId}`, 'auditor'],
      [`exp-reg-${runId}`, 'regulator'],
    ] as const) {
      const r = await f.request('POST', `${B}/members/${LIANGDANG}:${member}/roles`, admin, { role });
      expect(r.statusCode, r.body).to.equal(201);
    }
    auditor = await f.keyFor(LIANGDANG, `exp-aud-${runId}`);
    regulator = await f.keyFor(LIANGDANG, `exp-reg-${runId}`);
  });
  after(async () => f?.close());

  const get = (url: string, key = auditor) => f.request('GET', `${B}${url}`, key);

  /** Asks until the explorer index has every block (the first query starts its background catch-up). */
  async function dailyWhenIndexed(query: string) {
    const until = Date.now() + 120_000;
    for (;;) {
      const res = await get(`/transactions/daily?${query}`);
      expect(res.statusCode, res.body).to.equal(200);
      const { index } = res.json();
      if (index.indexedHeight === index.height) return res.json();
      if (Date.now() > until) throw new Error(`the explorer index did not catch up: ${JSON.stringify(index)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  it('lists blocks newest first, hash-linked, with the header hashes Fabric computes', async () => {
    const res = await get('/blocks?limit=5');
    expect(res.statusCode, res.body).to.equal(200);
    const page = res.json();
    const height = await f.ledger.height();
    expect(page.height).to.be.at.least(height - 1);
    const numbers = page.items.map((b: { number: number }) => b.number);
    expect(numbers).to.deep.equal(Array.from({ length: 5 }, (_, i) => page.height - 1 - i));
    for (let i = 0; i + 1 < page.items.length; i++) expect(page.items[i].previousHash).to.equal(page.items[i + 1].headerHash);
    const newest = await f.ledger.getBlock(numbers[0]);
    expect(page.items[0].headerHash).to.equal(fabricHeaderHash(newest.getHeader()!).toString('hex'));
    const older = await get(`/blocks?limit=5&before=${page.nextBefore}`);
    expect(older.json().items[0].number).to.equal(page.nextBefore - 1);
    const genesis = (await get('/blocks/0')).json();
    expect(genesis.transactions[0].type).to.equal('CONFIG');
    expectProblem(await get(`/blocks/${page.height + 1000}`), 404, 'NOT_FOUND');
  });

  it('a transaction by ID: validation code, creator, the majority of counties endorsing, function and keys; its block by hash', async () => {
    const member = `exp-m-${runId}`;
    const granted = await f.request('POST', `${B}/members/${LIANGDANG}:${member}/roles`, admin, { role: 'verifier' });
    expect(granted.statusCode, granted.body).to.equal(201);
    const { txId, blockNumber } = granted.json();
    const res = await get(`/transactions/${txId}`);
    expect(res.statusCode, res.body).to.equal(200);
    const t = res.json();
    expect(t).to.deep.include({
      txId,
      blockNumber,
      type: 'ENDORSER_TRANSACTION',
      validationCode: 'VALID',
      creator: { mspId: LIANGDANG, member: 'admin' },
      chaincode: 'countyledger',
      transactionName: tx.membership.grantRole.qualifiedName,
    });
    expect(t.endorsingOrganisations.length).to.be.at.least(2);
    expect(t.writeKeys.length).to.be.greaterThan(0);
    expect(t.writeKeys.some((k: string) => k.includes(member))).to.equal(true);
    expect(res.body).not.to.include('_lifecycle');
    expectProblem(await get(`/transactions/${'0'.repeat(64)}`), 404, 'NOT_FOUND');

    const block = (await get(`/blocks/${blockNumber}`)).json();
    expect(block.transactions.map((x: { txId: string }) => x.txId)).to.include(txId);
    const byHash = await get(`/blocks/by-hash/${block.headerHash}`);
    expect(byHash.statusCode, byHash.body).to.equal(200);
    expect(byHash.json()).to.deep.equal(block);
    expectProblem(await get(`/blocks/by-hash/${'ab'.repeat(32)}`), 404, 'NOT_FOUND');
    // The peer's own hash index (qscc GetBlockByHash), which the explorer asks for blocks its index has not reached.
    expect(await f.ledger.blockNumberByHash(block.headerHash)).to.equal(blockNumber);
    expect(await f.ledger.blockNumberByHash('ab'.repeat(32))).to.equal(undefined);
  });

  it('counts transactions per county per CST day from the blocks, and counts what was just submitted', async () => {
    const today = cstDayOf(new Date().toISOString());
    const query = `from=${shift(today, -1)}&to=${shift(today, 1)}`;
    const totalOf = (answer: { totals: Array<{ mspId: string; transactions: number; valid: number }> }, msp: string) =>
      answer.totals.find((t) => t.mspId === msp) ?? { mspId: msp, transactions: 0, valid: 0 };
    const before = await dailyWhenIndexed(query);
    for (let i = 0; i < 2; i++) {
      const r = await f.request('POST', `${B}/members/${LIANGDANG}:exp-c${i}-${runId}/roles`, admin, { role: 'verifier' });
      expect(r.statusCode, r.body).to.equal(201);
    }
    const after = await dailyWhenIndexed(query);
    expect(totalOf(after, LIANGDANG).transactions - totalOf(before, LIANGDANG).transactions).to.equal(2);
    expect(totalOf(after, LIANGDANG).valid - totalOf(before, LIANGDANG).valid).to.equal(2);
    for (const other of ['HuixianMSP', 'FengxianMSP']) expect(totalOf(after, other)).to.deep.equal(totalOf(before, other));
  });

  it('auditors only: 403 for a regulator, 401 without a key', async () => {
    expectProblem(await get('/blocks', regulator), 403, 'FORBIDDEN');
    expectProblem(await f.request('GET', `${B}/blocks`), 401, 'UNAUTHENTICATED');
  });
});

function expectProblem(res: { statusCode: number; body: string; json(): { code: string } }, status: number, code: string): void {
  expect(res.statusCode, res.body).to.equal(status);
  expect(res.json().code).to.equal(code);
}
