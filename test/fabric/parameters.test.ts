import { expect } from 'chai';
import { governmentCode } from '../support/fund-world';
import { CountyApps, CountyMsp, FabricAppFixture, openCountyApps, peersInSync, runId, countyRequests } from './fabric-fixture';

const LIANGDANG = 'LiangdangMSP';
const HUIXIAN = 'HuixianMSP';
const FENGXIAN = 'FengxianMSP';
const COUNTIES: readonly CountyMsp[] = [LIANGDANG, HUIXIAN, FENGXIAN];
const SHORT: Record<CountyMsp, string> = { LiangdangMSP: 'l', HuixianMSP: 'h', FengxianMSP: 'f' };
const DIVISION: Record<CountyMsp, string> = { LiangdangMSP: '621228', HuixianMSP: '621227', FengxianMSP: '610330' };
const NAME: Record<CountyMsp, string> = { LiangdangMSP: 'Liangdang County', HuixianMSP: 'Huixian County', FengxianMSP: 'Fengxian County' };

/**
 * Shared parameters on the real three-county network, each county's regulator on its own county's
 * gateway and peer: one county's proposal changes nothing; a second county's approval adopts it,
 * seen on the third county's peer. The suite puts the values back the same way at the end (the
 * network is shared with the suites that run after it).
 */
describe('on Fabric: shared parameters change only by a majority of the counties', () => {
  let counties: CountyApps;
  const keys: Record<string, { app: FabricAppFixture; key: string }> = {};
  const member = (name: string) => `${name}-p${runId}`;
  let initial: any;
  let changed: number;

  const { post, get, created, ok } = countyRequests(() => counties, keys);

  before(async () => {
    counties = await openCountyApps();
    for (const c of COUNTIES) {
      const s = SHORT[c];
      const app = counties.apps[c];
      keys[`admin-${s}`] = { app, key: await app.keyFor(c, 'admin') };
      const name = member(`reg-${s}`);
      keys[`reg-${s}`] = { app, key: await app.keyFor(c, name) };
      const r = await post(`admin-${s}`, `/members/${c}:${name}/roles`, { role: 'regulator' });
      expect(r.statusCode, r.body).to.equal(201);
    }
    // majorities count registered counties: register those not registered yet (as the fund suite does)
    for (const c of COUNTIES) {
      const s = SHORT[c];
      if ((await get(`reg-${s}`, `/counties/${c}`)).statusCode === 404) {
        created(await post(`admin-${s}`, '/counties', { name: NAME[c], division: DIVISION[c], creditCode: governmentCode(c) }));
      }
    }
  });
  after(async () => counties?.close());

  it("Liangdang's proposal does not change the values; Huixian's approval on its own peer does; Fengxian's peer shows it", async () => {
    initial = ok(await get('reg-f', '/parameters')).current;
    changed = initial.values.paymentDays === 4 ? 5 : 4;
    const proposal = created(await post('reg-l', '/parameters/proposals', { changes: { paymentDays: changed }, note: `fabric ${runId}` }));
    expect(proposal).to.include({ state: 'open', proposingCounty: LIANGDANG, registeredCounties: 3, approvalsNeeded: 2 });

    // one county is not a majority: every peer still has the old values
    for (const c of COUNTIES) {
      const seen = ok(await get(`reg-${SHORT[c]}`, '/parameters')).current;
      expect(seen, c).to.include({ version: initial.version });
      expect(seen.values.paymentDays, c).to.equal(initial.values.paymentDays);
    }
    // the proposing county cannot count twice; nothing reaches the ledger
    const height = await peersInSync(counties);
    const twice = await post('reg-l', `/parameters/proposals/${proposal.id}/approvals`);
    expect(twice.statusCode, twice.body).to.equal(409);
    expect(twice.json().code).to.equal('CONFLICT');
    expect(await peersInSync(counties)).to.equal(height);

    const adopted = created(await post('reg-h', `/parameters/proposals/${proposal.id}/approvals`));
    expect(adopted).to.include({ state: 'adopted', version: initial.version + 1 });
    expect(adopted.approvals.map((a: { county: string }) => a.county)).to.deep.equal([LIANGDANG, HUIXIAN]);

    const seenOnFengxian = ok(await get('reg-f', `/parameters?limit=200`));
    expect(seenOnFengxian.current).to.include({ version: initial.version + 1, proposalId: proposal.id });
    expect(seenOnFengxian.current.values).to.deep.equal({ ...initial.values, paymentDays: changed });
    const last = seenOnFengxian.history.items.at(-1);
    expect(last).to.include({ version: initial.version + 1, proposalId: proposal.id, proposingCounty: LIANGDANG });
    expect(last.approvingCounties).to.deep.equal([LIANGDANG, HUIXIAN]);
    expect(ok(await get('reg-f', `/parameters/proposals/${proposal.id}`))).to.include({ state: 'adopted' });
  });

  it('the values are put back the same way: Fengxian proposes, Liangdang approves', async () => {
    const restore = created(await post('reg-f', '/parameters/proposals', { changes: { paymentDays: initial.values.paymentDays }, note: `restore ${runId}` }));
    expect(ok(await get('reg-l', '/parameters')).current.values.paymentDays).to.equal(changed);
    created(await post('reg-l', `/parameters/proposals/${restore.id}/approvals`));
    for (const c of COUNTIES) {
      const seen = ok(await get(`reg-${SHORT[c]}`, '/parameters')).current;
      expect(seen, c).to.include({ version: initial.version + 2, proposalId: restore.id });
      expect(seen.values, c).to.deep.equal(initial.values);
    }
  });
});
