import { expect } from 'chai';
import { addDays } from '../../chaincode/src/kernel/time';
import { todayCst } from '../support/credit-world';
import { governmentCode } from '../support/fund-world';
import { creditCode } from '../support/market-world';
import { CountyApps, CountyMsp, FabricAppFixture, openCountyApps, peersInSync, runId, uniqueSerial, countyRequests } from './fabric-fixture';

const LIANGDANG = 'LiangdangMSP';
const HUIXIAN = 'HuixianMSP';
const FENGXIAN = 'FengxianMSP';
const COUNTIES: readonly CountyMsp[] = [LIANGDANG, HUIXIAN, FENGXIAN];
const SHORT: Record<CountyMsp, string> = { LiangdangMSP: 'l', HuixianMSP: 'h', FengxianMSP: 'f' };
const DIVISION: Record<CountyMsp, string> = { LiangdangMSP: '621228', HuixianMSP: '621227', FengxianMSP: '610330' };
const NAME: Record<CountyMsp, string> = { LiangdangMSP: 'Liangdang County', HuixianMSP: 'Huixian County', FengxianMSP: 'Fengxian County' };

type Res = { statusCode: number; body: string; headers: Record<string, unknown>; json(): any };

/**
 * IP co-ownership by consent on the real three-county network: an IP asset Liangdang registers
 * naming Huixian as co-owner binds Huixian to nothing until Huixian's regulator accepts its share
 * through Huixian's own gateway (signed with Huixian's own key on Huixian's peer); until then no
 * license can be requested. Then the owners vote on a license across their gateways.
 */
describe('on Fabric: IP co-ownership by consent across the counties’ gateways', () => {
  let counties: CountyApps;
  const keys: Record<string, { app: FabricAppFixture; key: string }> = {};
  const member = (name: string) => `${name}-ip${runId}`;
  const licensee = creditCode('621228', uniqueSerial());
  const today = todayCst();
  let ipId = '';

  const { post, get, created, ok } = countyRequests(() => counties, keys);
  /** A request that must be refused: no transaction reaches the ledger. */
  const refused = async (send: () => Promise<Res>, status: number, code: string, detail?: RegExp) => {
    const height = await peersInSync(counties);
    const res = await send();
    expect(res.statusCode, res.body).to.equal(status);
    expect(res.headers['content-type']).to.match(/^application\/problem\+json/);
    expect(res.json().code, res.body).to.equal(code);
    if (detail) expect(res.json().detail).to.match(detail);
    expect(await peersInSync(counties), 'ledger height after a refusal').to.equal(height);
  };
  const terms = {
    licenseeSubjectId: licensee,
    categories: ['paper-cut'],
    territory: [LIANGDANG, HUIXIAN],
    termFrom: today,
    termTo: addDays(today, 365),
    exclusive: false,
    royaltyRateBp: 400,
  };

  before(async () => {
    counties = await openCountyApps();
    for (const c of COUNTIES) {
      const s = SHORT[c];
      const app = counties.apps[c];
      keys[`admin-${s}`] = { app, key: await app.keyFor(c, 'admin') };
      keys[`reg-${s}`] = { app, key: await app.keyFor(c, member(`reg-${s}`)) };
      const r = await post(`admin-${s}`, `/members/${c}:${member(`reg-${s}`)}/roles`, { role: 'regulator' });
      expect(r.statusCode, r.body).to.equal(201);
    }
    keys['shop-l'] = { app: counties.apps[LIANGDANG], key: await counties.apps[LIANGDANG].keyFor(LIANGDANG, member('shop-l')) };
    const r = await post('admin-l', `/members/${LIANGDANG}:${member('shop-l')}/roles`, { role: 'merchant' });
    expect(r.statusCode, r.body).to.equal(201);
    // IP owners and territories are registered counties (an earlier suite may have registered them)
    for (const c of COUNTIES) {
      const s = SHORT[c];
      const known = await get(`reg-${s}`, `/counties/${c}`);
      if (known.statusCode === 404) created(await post(`admin-${s}`, '/counties', { name: NAME[c], division: DIVISION[c], creditCode: governmentCode(c) }));
      else expect(known.statusCode, known.body).to.equal(200);
    }
    created(await post('reg-l', '/subjects', { creditCode: licensee, name: `licensee ${runId}` }));
    created(await post('reg-l', `/subjects/${licensee}/access`, { status: 'green', evidenceRefs: ['doc:review'] }));
    created(await post('reg-l', `/subjects/${licensee}/merchants`, { member: member('shop-l') }));
  });
  after(async () => counties?.close());

  it('an IP Liangdang registers naming Huixian is pending-consent: no license can be requested until Huixian accepts through its own gateway', async () => {
    const ip = created(
      await post('reg-l', '/ip', {
        title: `Paper-cut ${runId}`,
        kind: 'intangible-heritage',
        owners: [
          { county: LIANGDANG, shareBp: 6000 },
          { county: HUIXIAN, shareBp: 4000 },
        ],
        proofEvidenceRefs: ['doc:heritage-listing'],
      }),
    );
    ipId = ip.id;
    expect(ip).to.include({ status: 'pending-consent', acceptedShareBp: 6000 });
    await refused(() => post('shop-l', `/ip/${ipId}/licenses`, terms), 409, 'CONFLICT', /pending-consent/);
    // Huixian's peer shows it awaiting Huixian; Fengxian is not named and may not accept
    expect(ok(await get('reg-h', `/ip/awaiting-consent?county=${HUIXIAN}&limit=200`)).items.map((x: any) => x.id)).to.include(ipId);
    await refused(() => post('reg-f', `/ip/${ipId}/acceptances`), 403, 'FORBIDDEN', /not named/);
    await refused(() => post('reg-l', `/ip/${ipId}/acceptances`), 409, 'CONFLICT', /already accepted/);

    const accepted = created(await post('reg-h', `/ip/${ipId}/acceptances`, { note: '徽县同意' }));
    expect(accepted).to.include({ status: 'active', acceptedShareBp: 10000 });
    expect(accepted.consents.map((c: any) => [c.county, c.decision, c.by.mspId])).to.deep.equal([
      [LIANGDANG, 'accepted', LIANGDANG],
      [HUIXIAN, 'accepted', HUIXIAN],
    ]);
    // every county's peer has it active
    for (const c of COUNTIES) expect(ok(await get(`reg-${SHORT[c]}`, `/ip/${ipId}`)).status).to.equal('active');
    expect(created(await post('shop-l', `/ip/${ipId}/licenses`, terms)).status).to.equal('requested');
  });

  it('the owners vote on a license through their own gateways: a rejection below half the shares, then an approval above it', async () => {
    const l = created(await post('shop-l', `/ip/${ipId}/licenses`, { ...terms, territory: [FENGXIAN] }));
    expect(created(await post('reg-h', `/licenses/${l.id}/rejections`, { reason: '条款待议' }))).to.include({ status: 'requested', rejectedShareBp: 4000 });
    await refused(() => post('reg-h', `/licenses/${l.id}/approvals`), 409, 'CONFLICT', /already rejected/);
    await refused(() => post('reg-f', `/licenses/${l.id}/rejections`, { reason: 'x' }), 403, 'FORBIDDEN', /not a co-owner/);
    expect(created(await post('reg-l', `/licenses/${l.id}/approvals`))).to.include({ status: 'effective', approvedShareBp: 6000 });
    const pending = created(
      await post('shop-l', `/ip/${ipId}/licenses`, { ...terms, territory: [FENGXIAN], termFrom: addDays(today, 400), termTo: addDays(today, 500) }),
    );
    expect(created(await post('shop-l', `/licenses/${pending.id}/withdrawal`))).to.include({ status: 'withdrawn' });
  });

  it('an IP naming only another county with all the shares waits for that county, which may decline it', async () => {
    const gi = created(
      await post('reg-h', '/ip', {
        title: `Liangdang brand ${runId}`,
        kind: 'geographic-indication',
        owners: [{ county: LIANGDANG, shareBp: 10000 }],
        proofEvidenceRefs: ['doc:gi'],
      }),
    );
    expect(gi).to.include({ status: 'pending-consent', acceptedShareBp: 0 });
    await refused(() => post('shop-l', `/ip/${gi.id}/licenses`, terms), 409, 'CONFLICT', /pending-consent/);
    expect(created(await post('reg-l', `/ip/${gi.id}/declination`, { reason: '两当县未申请' }))).to.include({ status: 'declined' });
    await refused(() => post('reg-l', `/ip/${gi.id}/acceptances`), 409, 'CONFLICT', /declined/);
  });
});
