import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { FastifyInstance } from 'fastify';
import { tx } from '../../chaincode/src/catalogue';
import { buildApp } from '../../gateway-api/src/app';
import { ApiKeyStore } from '../../gateway-api/src/auth/api-keys';
import { FabricLedger } from '../../gateway-api/src/ledger/fabric/fabric-ledger';
import { openFabric } from '../../gateway-api/src/ledger/fabric/open-fabric';
import { LedgerIdentity } from '../../gateway-api/src/ledger/ledger';
import { NONCE_BYTES, transactionIdOf } from '../../gateway-api/src/ledger/transaction-ids';
import { Wallet } from '../../gateway-api/src/identity/wallet';
import { CountyApps, openCountyApps, peersInSync, removeDir, runId } from './fabric-fixture';
import { nodeCtl } from './peer-state';

const LIANGDANG = 'LiangdangMSP';
const HUIXIAN = 'HuixianMSP';
const PEER = 'liangdang-peer';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * FABRIC_FALLBACK_PEERS: Liangdang's gateway is given Huixian's (then Fengxian's) peer to fall back
 * on. Liangdang's peer is stopped; its members keep submitting and reading through Liangdang's gateway,
 * which endorses through Huixian's peer's Gateway service (Huixian and Fengxian are a majority), with
 * the same transaction ID as it would have used on its own peer. The peer restarts, catches up, and the
 * gateway goes back to it.
 */
describe('on Fabric: a county’s users survive its peer going down (gateway fallback peers)', function () {
  this.timeout(240_000);
  let counties: CountyApps;
  let dir: string;
  let ledger: FabricLedger;
  let wallet: Wallet;
  let app: FastifyInstance;
  let adminKey: string;
  let admin: LedgerIdentity;
  let stopped = false;
  let n = 0;
  const duringOutage: string[] = [];

  const grant = (member: string, headers: Record<string, string> = {}) =>
    app.inject({
      method: 'POST',
      url: `/api/v1/members/${LIANGDANG}:${member}/roles`,
      headers: { authorization: `Bearer ${adminKey}`, ...headers },
      payload: { role: 'auditor' },
    });
  const read = (member: string) =>
    app.inject({ method: 'GET', url: `/api/v1/members/${LIANGDANG}:${member}`, headers: { authorization: `Bearer ${adminKey}` } });
  const fresh = () => `fallback-${runId}-${n++}`;

  before(async () => {
    counties = await openCountyApps();
    dir = mkdtempSync(path.join(os.tmpdir(), 'cl-fallback-'));
    ({ ledger, wallet } = (await openFabric(dir, { ...process.env, FABRIC_MSP_ID: LIANGDANG, FABRIC_FALLBACK_PEERS: 'huixian,FengxianMSP' })) as {
      ledger: FabricLedger;
      wallet: Wallet;
    });
    const keys = await ApiKeyStore.open(path.join(dir, 'api-keys.json'));
    await wallet.issue(LIANGDANG, 'admin', 'admin');
    admin = wallet.ledgerIdentity(LIANGDANG, 'admin');
    adminKey = (await keys.create(LIANGDANG, 'admin')).apiKey;
    app = await buildApp({ ledger, keys, identities: wallet, stateDir: path.join(dir, 'gateway') });
  });
  after(async () => {
    if (stopped) nodeCtl('start', PEER); // never leave the peer down for the next suite
    await app?.close();
    await ledger?.close();
    await counties?.close();
    if (dir) removeDir(dir);
  });

  it('refuses a fallback list naming an unknown county or its own', async () => {
    for (const [name, why] of [
      ['nowhere', /no county/],
      ['liangdang', /own county/],
    ] as const) {
      const other = mkdtempSync(path.join(os.tmpdir(), 'cl-fallback-bad-'));
      try {
        let failure: unknown;
        await openFabric(other, { ...process.env, FABRIC_MSP_ID: LIANGDANG, FABRIC_FALLBACK_PEERS: name }).catch((e: unknown) => (failure = e));
        expect(String(failure), name).to.match(why);
      } finally {
        removeDir(other);
      }
    }
  });

  it('with its own peer up, the gateway works through it', async () => {
    const member = fresh();
    const res = await grant(member);
    expect(res.statusCode, res.body).to.equal(201);
    expect(ledger.gatewayPeer).to.equal(LIANGDANG);
  });

  it('Liangdang’s peer stopped: a Liangdang member submits and reads through Liangdang’s gateway via Huixian’s peer; a gateway without fallback cannot', async () => {
    await peersInSync(counties);
    nodeCtl('stop', PEER);
    stopped = true;

    // the same gateway without fallback peers answers 503: the fallback is what keeps the users working
    const plain = await counties.apps[LIANGDANG].request(
      'GET',
      `/api/v1/members/${LIANGDANG}:never-granted-fallback-${runId}`,
      await counties.apps[LIANGDANG].keyFor(LIANGDANG, 'admin'),
    );
    expect(plain.statusCode, plain.body).to.equal(503);

    const member = fresh();
    const res = await grant(member, { 'idempotency-key': `fallback-${runId}` });
    expect(res.statusCode, res.body).to.equal(201);
    expect(ledger.gatewayPeer, 'calls moved to the first fallback peer').to.equal(HUIXIAN);
    const got = await read(member);
    expect(got.statusCode, got.body).to.equal(200);
    expect(got.json().roles).to.deep.equal(['auditor']);
    // the retry with the same Idempotency-Key is the same transaction
    const again = await grant(member, { 'idempotency-key': `fallback-${runId}` });
    expect(again.statusCode, again.body).to.equal(201);
    expect(again.json().txId).to.equal(res.json().txId);
    duringOutage.push(res.json().txId);

    // a submit with a chosen nonce keeps its transaction ID on the fallback peer (idempotency holds)
    const nonce = randomBytes(NONCE_BYTES);
    const chosen = await ledger.submit(admin, {
      name: tx.membership.grantRole.qualifiedName,
      args: [JSON.stringify({ member: fresh(), role: 'auditor' })],
      nonce,
    });
    expect(chosen.txId).to.equal(transactionIdOf(admin, nonce));
    duringOutage.push(chosen.txId);
    const endorsers = (await ledger.getTransaction(chosen.txId))?.endorsingOrganisations ?? [];
    expect(endorsers, 'endorsed without Liangdang').to.not.include(LIANGDANG);
    expect(endorsers.length).to.be.at.least(2);
  });

  it('the peer restarts, catches up with the others, and the gateway goes back to its own peer', async () => {
    nodeCtl('start', PEER);
    stopped = false;
    // the other gateways' connections to the restarted peer come back after their reconnect backoff
    const rejoinBy = Date.now() + 120_000;
    for (;;) {
      try {
        await peersInSync(counties, 5_000);
        break;
      } catch (err) {
        if (Date.now() > rejoinBy) throw err;
        await sleep(500);
      }
    }
    const until = Date.now() + 60_000;
    let res;
    for (;;) {
      res = await read(`never-granted-fallback-${runId}`);
      if (ledger.gatewayPeer === LIANGDANG) break;
      if (Date.now() > until) throw new Error(`the gateway stayed on ${ledger.gatewayPeer}`);
      await sleep(500);
    }
    expect(res.statusCode, res.body).to.equal(200);
    expect(res.json().roles).to.deep.equal([]);
    const done = await grant(fresh());
    expect(done.statusCode, done.body).to.equal(201);
    // the rejoined peer (read through the gateway without fallback) has what was committed while it was down
    const own = counties.apps[LIANGDANG].ledger;
    for (const txId of [...duringOutage, done.json().txId as string]) expect((await own.getTransaction(txId))?.validationCode, txId).to.equal('VALID');
    await peersInSync(counties);
  });
});
