import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { tx } from '../../../chaincode/src/catalogue';
import { ApiKeyStore } from '../../../gateway-api/src/auth/api-keys';
import { FabricLedger } from '../../../gateway-api/src/ledger/fabric/fabric-ledger';
import { openFabric } from '../../../gateway-api/src/ledger/fabric/open-fabric';
import { loadNetworkDescription } from '../../../gateway-api/src/ledger/fabric/network-description';
import { creditCode } from '../../support/market-world';
import { multipartBody } from '../../support/multipart';
import { COUNTY_MSPS, CountyApps, ensureCountiesRegistered, FabricAppFixture, openCountyApps, peersInSync, runId, uniqueSerial } from '../fabric-fixture';
import { killNode, operationsHeight, raftLeader, RunDescription } from '../fault-helpers';
import { decodeStateDb, nodeCtl, ROOT } from '../peer-state';
import { GatewayProcess } from './gateway-process';
import { LoadCast, MixedLoad, summarise } from './mixed-load';

const LIANGDANG = 'LiangdangMSP';
const HUIXIAN = 'HuixianMSP';
const FENGXIAN = 'FengxianMSP';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const NETWORK_FILE = path.resolve(process.env.FABRIC_NETWORK ?? path.join(ROOT, 'network/run/network.json'));
const RUN = process.env.NETWORK_RUN_DIR ?? path.join(ROOT, 'network/run');
/** Seconds of each phase (FAULTS_PHASE_SECONDS scales them all, e.g. 0.5 for a quick look). */
const SCALE = Number(process.env.FAULTS_PHASE_SECONDS_SCALE ?? '1');
const phaseMs = (s: number) => Math.round(s * 1000 * SCALE);

/** Prometheus counter samples of a gateway's /metrics: `name{labels}` → value. */
async function counters(baseUrl: string): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  for (const line of text.split('\n')) {
    const m = /^(county_ledger_(?:transactions|read_conflicts)\w*\{[^}]*\}) (\S+)$/.exec(line);
    if (m) out.set(m[1] as string, Number(m[2]));
  }
  return out;
}

function addInto(total: Map<string, number>, more: Map<string, number>): void {
  for (const [k, v] of more) total.set(k, (total.get(k) ?? 0) + v);
}

/**
 * Faults under a steady mixed load (npm run test:faults, its own network): two counties' gateways
 * (Liangdang: sellers, Huixian: buyers and a verifier) run as real processes and take orders with
 * deposit, verifications, settlements, blacklist checks (single and bulk) and evidence uploads at a
 * fixed rate, while in turn the Raft leader orderer is killed and restarted, Fengxian's peer is
 * killed and restarted, (hosts layout only) Fengxian's namespace is cut off for 30 s, and Huixian's
 * gateway is killed with SIGKILL and restarted. Then: success rate ≥ 99.5%, every acknowledged
 * transaction VALID on every peer, none committed twice, each node's time to rejoin.
 */
describe('on Fabric: faults under a steady mixed load', function () {
  this.timeout(900_000);
  let counties: CountyApps;
  const network = loadNetworkDescription(NETWORK_FILE) as unknown as RunDescription;
  const member = (name: string) => `load-${runId}-${name}`;
  const gateways: Record<string, GatewayProcess> = {};
  const dirs: string[] = [];
  let cast: LoadCast;
  let load: MixedLoad;
  let startHeight = 0;
  const rejoin: Array<{ node: string; fault: string; downMs: number; rejoinMs: number; what: string }> = [];
  const metricsBeforeKill = new Map<string, number>();
  let stopped: string | undefined;

  before(async function () {
    this.timeout(600_000);
    counties = await openCountyApps();
    await ensureCountiesRegistered(counties);
    const ld = counties.apps[LIANGDANG];
    const hx = counties.apps[HUIXIAN];
    const post = async (app: FabricAppFixture, key: string, url: string, body: unknown) => {
      // Endorsed by a majority of peers: each must have committed what this builds on (as countyRequests does).
      await peersInSync(counties);
      const r = await app.request('POST', `/api/v1${url}`, key, body);
      expect(r.statusCode, `${url}: ${r.body}`).to.equal(201);
      return r.json().result;
    };
    const people: Array<[FabricAppFixture, string, string, string]> = [
      [ld, LIANGDANG, member('reg-ld'), 'regulator'],
      [ld, LIANGDANG, member('shop-ld'), 'merchant'],
      [hx, HUIXIAN, member('reg-hx'), 'regulator'],
      [hx, HUIXIAN, member('shop-hx'), 'merchant'],
      [hx, HUIXIAN, member('verifier-hx'), 'verifier'],
    ];
    for (const [app, msp, name, role] of people) {
      await app.keyFor(msp, name);
      await post(app, await app.keyFor(msp, 'admin'), `/members/${msp}:${name}/roles`, { role });
    }
    const regLd = await ld.keyFor(LIANGDANG, member('reg-ld'));
    const regHx = await hx.keyFor(HUIXIAN, member('reg-hx'));
    const shopLd = await ld.keyFor(LIANGDANG, member('shop-ld'));
    const sellers: Array<{ subject: string; certSha: string }> = [];
    const buyers: string[] = [];
    for (let i = 0; i < 5; i++) {
      const seller = creditCode('621228', uniqueSerial());
      const buyer = creditCode('621227', uniqueSerial());
      for (const [app, reg, code, shop] of [
        [ld, regLd, seller, member('shop-ld')],
        [hx, regHx, buyer, member('shop-hx')],
      ] as const) {
        await peersInSync(counties);
        await post(app, reg, '/subjects', { creditCode: code, name: `load enterprise ${code}` });
        await post(app, reg, `/subjects/${code}/access`, { status: 'green', evidenceRefs: ['load-decision'] });
        await post(app, reg, `/subjects/${code}/merchants`, { member: shop });
      }
      const body = multipartBody({ content: Buffer.from(`soil test ${runId} ${seller}`), contentType: 'application/pdf' });
      const soil = await ld.app.inject({
        method: 'POST',
        url: '/api/v1/evidence',
        payload: body.payload,
        headers: { ...body.headers, authorization: `Bearer ${shopLd}` },
      });
      expect(soil.statusCode, soil.body).to.equal(201);
      sellers.push({ subject: seller, certSha: soil.json().result.sha256 });
      buyers.push(buyer);
    }
    await peersInSync(counties);

    // Each load county's gateway process: its own data folder with its own wallet and API keys.
    const keysOf: Record<string, Record<string, string>> = {};
    for (const [msp, names] of [
      [LIANGDANG, [member('reg-ld'), member('shop-ld')]],
      [HUIXIAN, [member('shop-hx'), member('verifier-hx')]],
    ] as const) {
      const dataDir = mkdtempSync(path.join(os.tmpdir(), `cl-load-${msp}-`));
      dirs.push(dataDir);
      mkdirSync(path.join(dataDir, 'wallet-fabric'), { recursive: true });
      cpSync(path.join(counties.dir, 'wallet-fabric', msp), path.join(dataDir, 'wallet-fabric', msp), { recursive: true });
      const store = await ApiKeyStore.open(path.join(dataDir, 'api-keys.json'));
      keysOf[msp] = {};
      for (const name of names) keysOf[msp]![name] = (await store.create(msp, name)).apiKey;
      const g = new GatewayProcess(msp, dataDir, NETWORK_FILE);
      const starting = Date.now();
      await g.start();
      console.log(`      ${msp} gateway process listening after ${Date.now() - starting} ms`);
      gateways[msp] = g;
    }
    for (const g of Object.values(gateways)) expect((await fetch(`${g.baseUrl}/health/ready`)).status, `${g.mspId} ready`).to.equal(200);
    const ldGateway = { name: LIANGDANG, baseUrl: gateways[LIANGDANG]!.baseUrl };
    const hxGateway = { name: HUIXIAN, baseUrl: gateways[HUIXIAN]!.baseUrl };
    cast = {
      sellerGateway: ldGateway,
      buyerGateway: hxGateway,
      keys: {
        sellerMerchant: keysOf[LIANGDANG]![member('shop-ld')]!,
        regulator: keysOf[LIANGDANG]![member('reg-ld')]!,
        buyerMerchant: keysOf[HUIXIAN]![member('shop-hx')]!,
        verifier: keysOf[HUIXIAN]![member('verifier-hx')]!,
      },
      sellers,
      buyers,
      runId,
    };
    startHeight = await peersInSync(counties);
  });

  after(async function () {
    this.timeout(180_000);
    await load?.stop();
    if (stopped) nodeCtl('start', stopped);
    for (const c of network.counties) if (c.hostLink) execFileSync('ip', ['link', 'set', c.hostLink, 'up']);
    for (const g of Object.values(gateways)) await g.stop();
    await counties?.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  /** Waits until every peer has the same height and last block as the others; answers the ms it took. */
  async function inSyncAfter(since: number, timeoutMs = 120_000): Promise<number> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      try {
        const heights = await Promise.all(COUNTY_MSPS.map((msp) => counties.apps[msp].ledger.height()));
        if (heights.every((h) => h === heights[0])) {
          const hashes = await Promise.all(COUNTY_MSPS.map(async (msp) => (await counties.apps[msp].ledger.blockView(heights[0]! - 1))?.headerHash));
          if (hashes.every((h) => h !== undefined && h === hashes[0])) return Date.now() - since;
        }
      } catch {
        // a peer still down
      }
      if (Date.now() > until) throw new Error(`the peers did not agree within ${timeoutMs} ms`);
      await sleep(200);
    }
  }

  /** Waits until an orderer's chain is as high as the peers'; answers the ms it took. */
  async function ordererRejoined(key: string, since: number, timeoutMs = 120_000): Promise<number> {
    const c = network.counties.find((x) => `${x.key}-orderer` === key)!;
    const until = Date.now() + timeoutMs;
    for (;;) {
      const own = await operationsHeight(c.orderer.operations, network.channel);
      const peers = await Promise.all(COUNTY_MSPS.map((msp) => counties.apps[msp].ledger.height().catch(() => 0)));
      if (own !== undefined && own >= Math.max(...peers)) return Date.now() - since;
      if (Date.now() > until) throw new Error(`${key} did not catch up within ${timeoutMs} ms`);
      await sleep(200);
    }
  }

  it('keeps ≥ 99.5% of operations succeeding through an orderer, a peer, a link and a gateway failing in turn; nothing acknowledged is lost or doubled', async () => {
    load = new MixedLoad(cast, { ratePerSecond: Number(process.env.FAULTS_RATE ?? '3') });
    load.phase = 'steady';
    load.start();
    await sleep(phaseMs(25));

    // 1. The Raft leader orderer crashes (SIGKILL) and is restarted.
    const leader = await raftLeader(network);
    expect(leader, 'a Raft leader').to.be.a('string');
    load.phase = 'orderer leader killed';
    killNode(leader!);
    stopped = leader;
    let down = Date.now();
    await sleep(phaseMs(15));
    nodeCtl('start', leader!);
    stopped = undefined;
    let back = Date.now();
    rejoin.push({
      node: leader!,
      fault: 'SIGKILL, restarted',
      downMs: back - down,
      rejoinMs: await ordererRejoined(leader!, back),
      what: 'its chain as high as the peers’',
    });
    load.phase = 'recovered (orderer)';
    await sleep(phaseMs(10));

    // 2. A county's peer (Fengxian's: neither load gateway's own peer) crashes and is restarted.
    load.phase = 'peer killed';
    killNode('fengxian-peer');
    stopped = 'fengxian-peer';
    down = Date.now();
    await sleep(phaseMs(20));
    nodeCtl('start', 'fengxian-peer');
    stopped = undefined;
    back = Date.now();
    rejoin.push({
      node: 'fengxian-peer',
      fault: 'SIGKILL, restarted',
      downMs: back - down,
      rejoinMs: await inSyncAfter(back),
      what: 'same height and last block as the others',
    });
    load.phase = 'recovered (peer)';
    await sleep(phaseMs(10));

    // 3. Hosts layout only: Fengxian's namespace is cut off from the others for 30 s.
    const fx = network.counties.find((c) => c.mspId === FENGXIAN)!;
    if (fx.netns && fx.hostLink) {
      load.phase = 'link cut';
      execFileSync('ip', ['link', 'set', fx.hostLink, 'down']);
      down = Date.now();
      await sleep(30_000);
      execFileSync('ip', ['link', 'set', fx.hostLink, 'up']);
      back = Date.now();
      rejoin.push({
        node: `${fx.key} (namespace ${fx.netns})`,
        fault: 'link down 30 s',
        downMs: back - down,
        rejoinMs: await inSyncAfter(back),
        what: 'same height and last block as the others',
      });
      load.phase = 'recovered (link)';
      await sleep(phaseMs(10));
    } else {
      console.log('      link-cut phase skipped: network.json has no netns/hostLink (not the hosts layout)');
    }

    // 4. Huixian's gateway is killed with SIGKILL and started again by its "supervisor" 2 s later.
    load.phase = 'gateway killed';
    addInto(metricsBeforeKill, await counters(gateways[HUIXIAN]!.baseUrl));
    await gateways[HUIXIAN]!.kill();
    down = Date.now();
    await sleep(2000);
    const starting = Date.now();
    await gateways[HUIXIAN]!.start();
    back = Date.now();
    console.log(`      huixian gateway: started again in ${back - starting} ms (to listening)`);
    for (;;) {
      const r = await fetch(`${gateways[HUIXIAN]!.baseUrl}/health/ready`).catch(() => undefined);
      if (r?.status === 200) break;
      await sleep(100);
    }
    rejoin.push({
      node: 'huixian gateway',
      fault: 'SIGKILL, restarted after 2 s',
      downMs: back - down,
      rejoinMs: Date.now() - back,
      what: '/health/ready 200',
    });
    load.phase = 'recovered (gateway)';
    await sleep(phaseMs(15));
    await load.stop();

    // The figures.
    const records = load.records;
    const ok = records.filter((r) => r.ok).length;
    const rate = ok / records.length;
    console.log(`\n      ${records.length} operations, ${ok} succeeded: success rate ${(rate * 100).toFixed(2)}%`);
    console.log('      phase                      ops   ok   p50 ms  p95 ms  retried  conflicts  lagging');
    for (const s of summarise(records))
      console.log(
        `      ${s.phase.padEnd(26)} ${String(s.operations).padStart(4)} ${String(s.succeeded).padStart(4)} ${String(s.p50Ms).padStart(8)} ${String(s.p95Ms).padStart(7)} ${String(s.retried).padStart(8)} ${String(s.conflicts).padStart(10)} ${String(s.lagging).padStart(8)}`,
      );
    for (const r of rejoin) console.log(`      rejoin: ${r.node.padEnd(26)} ${r.fault}: down ${r.downMs} ms; ${r.what} ${r.rejoinMs} ms after it was back`);
    const failures = records.filter((r) => !r.ok);
    for (const f of failures.slice(0, 20))
      console.log(`      failed: ${f.kind} via ${f.gateway} in "${f.phase}": ${f.status ?? 'no answer'} ${f.code ?? ''} after ${f.attempts} attempts`);

    // Read conflicts the gateways re-ran (their /metrics; Huixian's counted before its kill too).
    const metrics = new Map(metricsBeforeKill);
    for (const g of Object.values(gateways)) addInto(metrics, await counters(g.baseUrl));
    const settle = `transaction="${tx.market.settleOrder.qualifiedName}"`;
    const settled = metrics.get(`county_ledger_transactions_total{${settle},outcome="committed",code="VALID"}`) ?? 0;
    const settleConflicts = metrics.get(`county_ledger_read_conflicts_total{${settle}}`) ?? 0;
    let allCommitted = 0;
    let allConflicts = 0;
    for (const [k, v] of metrics) {
      if (k.startsWith('county_ledger_transactions_total{') && k.includes('outcome="committed"')) allCommitted += v;
      if (k.startsWith('county_ledger_read_conflicts_total{')) allConflicts += v;
    }
    console.log(
      `      read conflicts re-run by the gateways: settlements ${settleConflicts} over ${settled} committed (${((settleConflicts / Math.max(1, settled)) * 100).toFixed(1)}%); all transactions ${allConflicts} over ${allCommitted} (${((allConflicts / Math.max(1, allCommitted)) * 100).toFixed(1)}%)`,
    );

    expect(records.filter((r) => r.kind === 'settlement' && r.ok).length, 'settlements under load').to.be.greaterThan(5);
    expect(rate, `success rate; failures: ${JSON.stringify(failures.slice(0, 5))}`).to.be.at.least(0.995);
  });

  it('after recovery every acknowledged transaction is VALID on every peer, and no operation committed twice', async () => {
    await inSyncAfter(Date.now());
    const acked = load.records.filter((r) => r.ok && r.txId).map((r) => r.txId as string);
    expect(new Set(acked).size, 'acknowledged transaction IDs are distinct').to.equal(acked.length);
    for (const msp of COUNTY_MSPS) {
      const { ledger } = await openFabric(counties.dir, { ...process.env, FABRIC_MSP_ID: msp });
      try {
        for (const txId of acked) expect((await (ledger as FabricLedger).getTransaction(txId))?.validationCode, `${txId} on ${msp}'s peer`).to.equal('VALID');
      } finally {
        await ledger.close();
      }
    }
    // Every VALID transaction the load's members made is one an operation was answered with: a retry never committed a second one.
    // (Not the blacklist query trail's anchors: the gateway submits those itself, in the background, as the member whose lookups they close.)
    const members = new Set(['shop-ld', 'reg-ld', 'shop-hx', 'verifier-hx'].map(member));
    const ackedSet = new Set(acked);
    const unanswered: string[] = [];
    const ledger = counties.apps[LIANGDANG].ledger;
    const height = await ledger.height();
    for (let n = startHeight; n < height; n++) {
      for (const t of (await ledger.blockView(n))?.transactions ?? []) {
        if (t.transactionName === tx.credit.anchorQueryTrail.qualifiedName) continue;
        if (t.validationCode === 'VALID' && t.creator.member && members.has(t.creator.member) && !ackedSet.has(t.txId))
          unanswered.push(`${t.transactionName} ${t.txId}`);
      }
    }
    console.log(`      ${acked.length} acknowledged transactions VALID on all ${COUNTY_MSPS.length} peers; ${unanswered.length} committed but unanswered`);
    expect(unanswered, 'committed transactions no operation was answered with (a duplicate, or an answer lost for good)').to.deep.equal([]);
  });

  it('the peers hold the same world state (public state and private-data hashes, from each peer’s own database)', async () => {
    const digests: Record<string, string> = {};
    for (const c of network.counties) {
      const copy = mkdtempSync(path.join(os.tmpdir(), `cl-load-state-${c.key}-`));
      nodeCtl('stop', `${c.key}-peer`);
      try {
        cpSync(path.join(RUN, 'nodes', `${c.key}-peer`, 'ledgersData', 'stateLeveldb'), copy, { recursive: true });
      } finally {
        nodeCtl('start', `${c.key}-peer`);
      }
      try {
        const state = await decodeStateDb(copy, network.channel);
        const h = createHash('sha256');
        // Every peer holds the public state and the hashes of private data; the private data itself only member peers.
        for (const ns of [...state.namespaces.keys()].filter((n) => !n.includes('$$p')).sort()) {
          for (const [k, v] of [...state.namespaces.get(ns)!.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
            h.update(`${ns}\u0000${k}\u0000`).update(v);
        }
        digests[c.key] = h.digest('hex');
      } finally {
        rmSync(copy, { recursive: true, force: true });
      }
    }
    console.log(
      `      state digests: ${Object.entries(digests)
        .map(([k, d]) => `${k} ${d.slice(0, 16)}`)
        .join(', ')}`,
    );
    expect(new Set(Object.values(digests)).size, JSON.stringify(digests)).to.equal(1);
    await inSyncAfter(Date.now());
  });
});
