import { expect } from 'chai';
import { tx } from '../../chaincode/src/catalogue';
import { submit } from '../../gateway-api/src/ledger/calls';
import { LedgerIdentity } from '../../gateway-api/src/ledger/ledger';
import { FabricLedger } from '../../gateway-api/src/ledger/fabric/fabric-ledger';
import { openFabric } from '../../gateway-api/src/ledger/fabric/open-fabric';
import { loadNetworkDescription } from '../../gateway-api/src/ledger/fabric/network-description';
import { COUNTY_MSPS, CountyApps, FabricAppFixture, openCountyApps, runId } from './fabric-fixture';
import { raftLeader, RunDescription } from './fault-helpers';
import { nodeCtl } from './peer-state';

const LIANGDANG = 'LiangdangMSP';
const HUIXIAN = 'HuixianMSP';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Faults on the real network, bounded in time. The gateway under test is Liangdang's (its app talks
 * only to Liangdang's peer). A county's gateway needs its own peer, so the peer that is stopped is
 * another county's (Huixian's): transactions are then endorsed by Liangdang and Fengxian, still a
 * majority, and Huixian's members keep working through Liangdang's peer (with their own keys, which
 * only Huixian's gateway holds: Liangdang's gateway holds no other county's keys).
 */
describe('on Fabric: faults — an orderer down, a county’s peer down, nothing acknowledged is lost', function () {
  this.timeout(240_000);
  let counties: CountyApps;
  let f: FabricAppFixture;
  let admin: string;
  let hxAdmin: LedgerIdentity;
  const network = loadNetworkDescription(process.env.FABRIC_NETWORK ?? 'network/run/network.json') as unknown as RunDescription;
  const acknowledged: Array<{ txId: string; member: string; mspId: string }> = [];
  let stopped: string | undefined;
  let n = 0;

  async function grant(key: string, mspId: string): Promise<number> {
    const member = `fault-${runId}-${n++}`;
    const started = Date.now();
    const res = await f.request('POST', `/api/v1/members/${mspId}:${member}/roles`, key, { role: 'auditor' });
    expect(res.statusCode, res.body).to.equal(201);
    acknowledged.push({ txId: res.json().txId, member, mspId });
    return Date.now() - started;
  }
  /** A Huixian admin, with its own key (only Huixian's gateway holds it), through Liangdang's peer. */
  async function grantAsHuixian(): Promise<number> {
    const member = `fault-${runId}-${n++}`;
    const started = Date.now();
    const res = await submit(f.ledger, hxAdmin, tx.membership.grantRole, { member, role: 'auditor' });
    acknowledged.push({ txId: res.txId, member, mspId: HUIXIAN });
    return Date.now() - started;
  }

  before(async () => {
    counties = await openCountyApps();
    f = counties.apps[LIANGDANG];
    admin = await f.keyFor(LIANGDANG, 'admin');
    hxAdmin = await counties.apps[HUIXIAN].identity(HUIXIAN, 'admin');
    await grant(admin, LIANGDANG);
  });
  after(async () => {
    if (stopped) nodeCtl('start', stopped); // never leave a node down for the next suite
    // Leave the network able to endorse for the next suite: after nodes restart, a peer's service
    // discovery can for a while see no peer combination that satisfies the policy. Wait (bounded)
    // until a submit through each county's own peer commits again.
    const until = Date.now() + 90_000;
    for (const msp of COUNTY_MSPS) {
      const app = counties?.apps[msp];
      if (!app) continue;
      const countyAdmin = await app.identity(msp, 'admin');
      for (let i = 0; ; i++) {
        try {
          await submit(app.ledger, countyAdmin, tx.membership.grantRole, { member: `healed-${runId}-${msp}`, role: 'auditor' });
          break;
        } catch (err) {
          if (Date.now() > until) throw err;
          await sleep(500);
        }
      }
    }
    await counties?.close();
  });

  it('with the Raft leader orderer stopped, submissions still commit (one slow submit during the election at most)', async () => {
    const leader = await raftLeader(network);
    expect(leader, 'a Raft leader').to.be.a('string');
    nodeCtl('stop', leader!);
    stopped = leader;
    const times: number[] = [];
    for (let i = 0; i < 8; i++) times.push(await grant(admin, LIANGDANG));
    const slow = times.filter((t) => t > 3000);
    expect(slow.length, `submit times ${times.join(', ')} ms`).to.be.at.most(1);
    const newLeader = await raftLeader(network);
    expect(newLeader).to.be.a('string').and.not.equal(leader);
    nodeCtl('start', leader!);
    stopped = undefined;
    // and with it back, the cluster keeps committing
    for (let i = 0; i < 3; i++) await grant(admin, LIANGDANG);
    console.log(`      submit times with ${leader} (Raft leader) down: ${times.join(', ')} ms; new leader ${newLeader}`);
  });

  it('with Huixian’s peer stopped, submissions commit through the other counties, Huixian’s members included', async () => {
    nodeCtl('stop', 'huixian-peer');
    stopped = 'huixian-peer';
    const times: number[] = [];
    for (let i = 0; i < 5; i++) times.push(await grant(admin, LIANGDANG));
    // a Huixian admin, through Liangdang's peer
    for (let i = 0; i < 3; i++) times.push(await grantAsHuixian());
    console.log(`      submit times with huixian-peer down: ${times.join(', ')} ms`);
    const heightWhileDown = await f.ledger.height();
    // Huixian's gateway is live but not ready while its own peer is down, and says why.
    expect((await counties.apps[HUIXIAN].request('GET', '/health/live')).statusCode).to.equal(200);
    const notReady = await counties.apps[HUIXIAN].request('GET', '/health/ready');
    expect(notReady.statusCode, notReady.body).to.equal(503);
    expect(notReady.json()).to.include({ code: 'UNAVAILABLE', ready: false, ledger: 'fabric' });
    expect(notReady.json().reasons).to.deep.equal(['own peer (HuixianMSP) unreachable']);
    expect((await f.request('GET', '/health/ready')).statusCode, 'Liangdang’s gateway stays ready').to.equal(200);

    nodeCtl('start', 'huixian-peer');
    stopped = undefined;
    const hx = counties.apps[HUIXIAN].ledger;
    const until = Date.now() + 60_000;
    let h: number;
    while ((h = await hx.height().catch(() => 0)) < heightWhileDown && Date.now() < until) await sleep(250);
    expect(h, 'Huixian’s peer caught up').to.be.at.least(heightWhileDown);
    expect(await hx.height()).to.equal(await f.ledger.height());
    // Readiness is polled, as a load balancer would: the gateway's connection to its restarted peer
    // comes back on gRPC's reconnect backoff, which may be after the height read above answered.
    const readyBy = Date.now() + 60_000;
    let ready = await counties.apps[HUIXIAN].request('GET', '/health/ready');
    while (ready.statusCode !== 200 && Date.now() < readyBy) {
      await sleep(500);
      ready = await counties.apps[HUIXIAN].request('GET', '/health/ready');
    }
    expect(ready.statusCode, ready.body).to.equal(200);
    expect(ready.json().peers).to.have.length(3);
    // the restarted peer answers with the same state as Liangdang's
    for (const a of acknowledged) {
      const viaHx = await counties.apps[HUIXIAN].request(
        'GET',
        `/api/v1/members/${a.mspId}:${a.member}`,
        // a member with no role reads nothing but itself; Huixian's admin reads for the check
        await counties.apps[HUIXIAN].keyFor(HUIXIAN, 'admin'),
      );
      const viaLd = await f.request('GET', `/api/v1/members/${a.mspId}:${a.member}`, admin);
      expect(viaHx.statusCode, viaHx.body).to.equal(200);
      expect(viaHx.json()).to.deep.equal(viaLd.json());
    }
  });

  it('every acknowledged transaction is VALID in its block on every county’s peer', async () => {
    expect(acknowledged.length).to.equal(20);
    const dir = counties.dir;
    for (const msp of COUNTY_MSPS) {
      const { ledger } = await openFabric(dir, { ...process.env, FABRIC_MSP_ID: msp });
      try {
        for (const a of acknowledged) {
          const tx = await (ledger as FabricLedger).getTransaction(a.txId);
          expect(tx?.validationCode, `${a.txId} on ${msp}'s peer`).to.equal('VALID');
        }
      } finally {
        await ledger.close();
      }
    }
  });
});
