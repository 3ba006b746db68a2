import { tx } from '../../chaincode/src/catalogue';
import { expect } from 'chai';
import { IpEvents } from '../../chaincode/src/ip/ip-contract';
import { MAX_EFFECTIVE_LICENSES_PER_IP, MAX_OPEN_REQUESTS_PER_IP } from '../../chaincode/src/ip/licensing';
import { addDays } from '../../chaincode/src/kernel/time';
import { registerCounties, today } from '../support/fund-world';
import { FENGXIAN, HUIXIAN, LIANGDANG } from '../support/ledger-fixture';
import { registerEnterprise, Who, World } from '../support/market-world';

type Owners = Array<{ county: string; shareBp: number }>;
const THREE: Owners = [
  { county: LIANGDANG, shareBp: 4000 },
  { county: HUIXIAN, shareBp: 3500 },
  { county: FENGXIAN, shareBp: 2500 },
];

describe('chaincode Ip: co-ownership by consent, license rejection and withdrawal, segregation of duties', function () {
  this.timeout(180_000);
  let w: World;
  let regL: Who;
  let regL2: Who;
  let regH: Who;
  let regF: Who;
  let enfL: Who;
  let merchant: Who;
  let otherMerchant: Who;
  let licensee: string;
  const regOf = (): Record<string, Who> => ({ [LIANGDANG]: regL, [HUIXIAN]: regH, [FENGXIAN]: regF });

  before(async () => {
    w = await World.open();
    await registerCounties(w);
    regL = await w.member(LIANGDANG, 'reg-l', 'regulator');
    regL2 = await w.member(LIANGDANG, 'reg-l2', 'regulator');
    regH = await w.member(HUIXIAN, 'reg-h', 'regulator');
    regF = await w.member(FENGXIAN, 'reg-f', 'regulator');
    enfL = await w.member(LIANGDANG, 'enf-l', 'enforcement');
    merchant = await w.member(LIANGDANG, 'm-lic', 'merchant');
    otherMerchant = await w.member(LIANGDANG, 'm-other', 'merchant');
    licensee = await registerEnterprise(w, regL, LIANGDANG, 'green');
    await w.submit(regL, tx.subjects.bindMerchant, { subjectId: licensee, member: 'm-lic' });
  });
  after(async () => w.cleanup());

  const ipInput = (owners: Owners, overrides: Record<string, unknown> = {}) => ({
    title: 'Huixian chestnut (徽县板栗)',
    kind: 'geographic-indication',
    owners,
    proofEvidenceRefs: ['doc:gi-listing'],
    ...overrides,
  });
  /** Registered by `who`, then accepted by every other named county: active. */
  const activeIp = async (owners: Owners = THREE, who: Who = regL): Promise<any> => {
    let ip = await w.submit(who, tx.ip.registerIp, ipInput(owners));
    for (const o of owners)
      if (!ip.consents.some((c: any) => c.county === o.county)) ip = await w.submit(regOf()[o.county] as Who, tx.ip.acceptShare, { ipId: ip.id });
    expect(ip.status).to.equal('active');
    return ip;
  };
  const terms = (ipId: string, overrides: Record<string, unknown> = {}) => ({
    ipId,
    licenseeSubjectId: licensee,
    categories: ['chestnut'],
    territory: [LIANGDANG],
    termFrom: today(),
    termTo: addDays(today(), 365),
    exclusive: false,
    royaltyRateBp: 300,
    ...overrides,
  });
  const requestLicense = (ipId: string, overrides: Record<string, unknown> = {}, who: Who = merchant) =>
    w.submit(who, tx.ip.requestLicense, terms(ipId, overrides));
  const awaiting = async (county: string): Promise<string[]> =>
    (await w.evaluate(regL, tx.ip.listAwaitingConsent, { county, limit: 200 })).items.map((x: any) => x.id);

  describe('co-ownership by consent', () => {
    it('an IP naming other counties is pending-consent until each accepts (the registrant’s own share accepted at registration); one event each, the last IpActivated', async () => {
      const registered = await w.submitTx(regL, tx.ip.registerIp, ipInput(THREE));
      const ip = registered.result;
      expect(ip).to.include({ status: 'pending-consent', acceptedShareBp: 4000 });
      expect(ip.consents).to.deep.equal([
        { county: LIANGDANG, shareBp: 4000, decision: 'accepted', by: { mspId: LIANGDANG, member: 'reg-l' }, at: ip.registeredAt, txId: registered.txId },
      ]);
      expect(registered.event).to.deep.equal({
        name: IpEvents.IpRegistered,
        payload: { ipId: ip.id, kind: ip.kind, owners: THREE, status: 'pending-consent', acceptedShareBp: 4000 },
      });
      expect(await awaiting(HUIXIAN)).to.include(ip.id);
      expect(await awaiting(FENGXIAN)).to.include(ip.id);
      expect(await awaiting(LIANGDANG)).to.not.include(ip.id);
      await w.expectRefused('CONFLICT', () => requestLicense(ip.id), /pending-consent; licenses are requested only for an active IP/);

      const first = await w.submitTx(regH, tx.ip.acceptShare, { ipId: ip.id, note: '徽县同意' });
      expect(first.result).to.include({ status: 'pending-consent', acceptedShareBp: 7500 });
      expect(first.result.consents[1]).to.include({ county: HUIXIAN, shareBp: 3500, decision: 'accepted', note: '徽县同意', txId: first.txId });
      expect(first.event).to.deep.equal({
        name: IpEvents.IpShareAccepted,
        payload: { ipId: ip.id, county: HUIXIAN, acceptedShareBp: 7500, status: 'pending-consent' },
      });
      expect(await awaiting(HUIXIAN)).to.not.include(ip.id);
      await w.expectRefused('CONFLICT', () => requestLicense(ip.id), /pending-consent/);

      const last = await w.submitTx(regF, tx.ip.acceptShare, { ipId: ip.id });
      expect(last.result).to.include({ status: 'active', acceptedShareBp: 10000 });
      expect(last.result.activatedAt).to.be.a('string');
      expect(last.event).to.deep.equal({ name: IpEvents.IpActivated, payload: { ipId: ip.id, county: FENGXIAN, acceptedShareBp: 10000, status: 'active' } });
      expect(await awaiting(FENGXIAN)).to.not.include(ip.id);
      expect(await w.evaluate(regH, tx.ip.getIp, { ipId: ip.id })).to.deep.equal(last.result);
      expect((await requestLicense(ip.id)).status).to.equal('requested');
    });

    it('an IP naming only another county with all the shares is a registration awaiting that county: it is never active without its acceptance', async () => {
      const ip = await w.submit(regL, tx.ip.registerIp, ipInput([{ county: HUIXIAN, shareBp: 10000 }]));
      expect(ip).to.include({ status: 'pending-consent', acceptedShareBp: 0 });
      expect(ip.consents).to.deep.equal([]);
      await w.expectRefused('CONFLICT', () => requestLicense(ip.id), /pending-consent/);
      // The registering county cannot accept for the county it named.
      await w.expectRefused('FORBIDDEN', () => w.submit(regL, tx.ip.acceptShare, { ipId: ip.id }), /not named as a co-owner/);
      expect(await awaiting(HUIXIAN)).to.include(ip.id);
      expect(await w.submit(regH, tx.ip.acceptShare, { ipId: ip.id })).to.include({ status: 'active', acceptedShareBp: 10000 });
      expect((await requestLicense(ip.id)).status).to.equal('requested');
    });

    it('a registration naming only the registering county is active at once', async () => {
      const ip = await w.submit(regH, tx.ip.registerIp, ipInput([{ county: HUIXIAN, shareBp: 10000 }]));
      expect(ip).to.include({ status: 'active', acceptedShareBp: 10000 });
      expect(await awaiting(HUIXIAN)).to.not.include(ip.id);
    });

    it('refuses acceptance and decline by a county not named, a non-regulator, a county that decided, for an unknown IP, and bad input; nothing written', async () => {
      const ip = await w.submit(
        regL,
        tx.ip.registerIp,
        ipInput([
          { county: LIANGDANG, shareBp: 5000 },
          { county: HUIXIAN, shareBp: 5000 },
        ]),
      );
      for (const [who, code, message] of [
        [regF, 'FORBIDDEN', /FengxianMSP is not named as a co-owner/],
        [enfL, 'FORBIDDEN', /regulator/],
        [merchant, 'FORBIDDEN', /regulator/],
        [regL, 'CONFLICT', /already accepted its share/],
        [regL2, 'CONFLICT', /already accepted its share/],
      ] as const) {
        await w.expectRefused(code, () => w.submit(who, tx.ip.acceptShare, { ipId: ip.id }), message);
        await w.expectRefused(code, () => w.submit(who, tx.ip.declineShare, { ipId: ip.id, reason: 'not ours' }), message);
      }
      await w.expectRefused('NOT_FOUND', () => w.submit(regH, tx.ip.acceptShare, { ipId: 'ip-missing' }));
      await w.expectRefused('NOT_FOUND', () => w.submit(regH, tx.ip.declineShare, { ipId: 'ip-missing', reason: 'x' }));
      for (const bad of [{}, { ipId: ip.id, note: '' }, { ipId: ip.id, note: 'x'.repeat(501) }, { ipId: ip.id, extra: 1 }, { ipId: 'a b' }])
        await w.expectRefused('INVALID_ARGUMENT', () => w.submit(regH, tx.ip.acceptShare, bad));
      for (const bad of [{ ipId: ip.id }, { ipId: ip.id, reason: '' }, { ipId: ip.id, reason: 'x'.repeat(501) }, { ipId: ip.id, reason: 'x', note: 'y' }])
        await w.expectRefused('INVALID_ARGUMENT', () => w.submit(regH, tx.ip.declineShare, bad));
      await w.expectRefused('INVALID_ARGUMENT', () => w.evaluate(regH, tx.ip.listAwaitingConsent, { county: 'not an msp!' }));
      // Huixian decides once: after accepting, neither another acceptance nor a decline.
      await w.submit(regH, tx.ip.acceptShare, { ipId: ip.id });
      await w.expectRefused('CONFLICT', () => w.submit(regH, tx.ip.acceptShare, { ipId: ip.id }), /active; it no longer awaits/);
      await w.expectRefused('CONFLICT', () => w.submit(regH, tx.ip.declineShare, { ipId: ip.id, reason: 'changed our mind' }), /active/);
    });

    it('a co-owner declining leaves the asset declined for good: no acceptance, withdrawal or license request after it', async () => {
      const ip = await w.submit(regL, tx.ip.registerIp, ipInput(THREE));
      await w.submit(regH, tx.ip.acceptShare, { ipId: ip.id });
      const declined = await w.submitTx(regF, tx.ip.declineShare, { ipId: ip.id, reason: '凤县不是共有人' });
      expect(declined.result).to.include({ status: 'declined', acceptedShareBp: 7500 });
      expect(declined.result.consents[2]).to.include({ county: FENGXIAN, decision: 'declined', note: '凤县不是共有人', shareBp: 2500 });
      expect(declined.event).to.deep.equal({ name: IpEvents.IpShareDeclined, payload: { ipId: ip.id, county: FENGXIAN, status: 'declined' } });
      await w.expectRefused('CONFLICT', () => w.submit(regF, tx.ip.acceptShare, { ipId: ip.id }), /declined/);
      await w.expectRefused('CONFLICT', () => w.submit(regL, tx.ip.withdrawIp, { ipId: ip.id, reason: 'x' }), /declined/);
      await w.expectRefused('CONFLICT', () => requestLicense(ip.id), /declined/);
      expect(await awaiting(FENGXIAN)).to.not.include(ip.id);
    });

    it('the registering county’s regulators withdraw an IP awaiting consent; no other county (403), not once it is active or withdrawn (409)', async () => {
      const ip = await w.submit(regL, tx.ip.registerIp, ipInput(THREE));
      await w.expectRefused('FORBIDDEN', () => w.submit(regH, tx.ip.withdrawIp, { ipId: ip.id, reason: 'x' }), /registered by LiangdangMSP/);
      await w.expectRefused('FORBIDDEN', () => w.submit(enfL, tx.ip.withdrawIp, { ipId: ip.id, reason: 'x' }), /regulator/);
      await w.expectRefused('NOT_FOUND', () => w.submit(regL, tx.ip.withdrawIp, { ipId: 'ip-missing', reason: 'x' }));
      for (const bad of [{ ipId: ip.id }, { ipId: ip.id, reason: '' }, { ipId: ip.id, reason: 'x', note: 'y' }])
        await w.expectRefused('INVALID_ARGUMENT', () => w.submit(regL, tx.ip.withdrawIp, bad));
      // Another regulator of the registering county may withdraw it.
      const withdrawn = await w.submitTx(regL2, tx.ip.withdrawIp, { ipId: ip.id, reason: 'shares to be agreed first' });
      expect(withdrawn.result).to.include({ status: 'withdrawn' });
      expect(withdrawn.result.withdrawal).to.include({ reason: 'shares to be agreed first', txId: withdrawn.txId });
      expect(withdrawn.result.withdrawal.by).to.deep.equal({ mspId: LIANGDANG, member: 'reg-l2' });
      expect(withdrawn.event).to.deep.equal({ name: IpEvents.IpWithdrawn, payload: { ipId: ip.id, by: LIANGDANG, status: 'withdrawn' } });
      expect(await awaiting(HUIXIAN)).to.not.include(ip.id);
      await w.expectRefused('CONFLICT', () => w.submit(regL, tx.ip.withdrawIp, { ipId: ip.id, reason: 'again' }), /withdrawn/);
      await w.expectRefused('CONFLICT', () => w.submit(regH, tx.ip.acceptShare, { ipId: ip.id }), /withdrawn/);
      await w.expectRefused('CONFLICT', () => requestLicense(ip.id), /withdrawn/);
      const active = await activeIp();
      await w.expectRefused('CONFLICT', () => w.submit(regL, tx.ip.withdrawIp, { ipId: active.id, reason: 'x' }), /only an IP awaiting consent/);
    });
  });

  describe('license requests: rejection by the owners, withdrawal by the licensee, the cap on open requests', () => {
    it('owner counties vote to reject; the rejection that takes the rejecting shares above 5000 bp is final; approvals count until then', async () => {
      const ip = await activeIp();
      const a = await requestLicense(ip.id);
      expect(a).to.include({ rejectedShareBp: 0 });
      expect(a.rejections).to.deep.equal([]);
      const firstNo = await w.submitTx(regH, tx.ip.rejectLicense, { licenseId: a.id, reason: '条款不合理' });
      expect(firstNo.result).to.include({ status: 'requested', rejectedShareBp: 3500 });
      expect(firstNo.result.rejections).to.deep.equal([
        {
          county: HUIXIAN,
          shareBp: 3500,
          reason: '条款不合理',
          by: { mspId: HUIXIAN, member: 'reg-h' },
          at: firstNo.result.rejections[0].at,
          txId: firstNo.txId,
        },
      ]);
      expect(firstNo.event).to.deep.equal({
        name: IpEvents.LicenseRejectionRecorded,
        payload: { licenseId: a.id, ipId: ip.id, county: HUIXIAN, rejectedShareBp: 3500, status: 'requested' },
      });
      expect((await w.submit(regL, tx.ip.approveLicense, { licenseId: a.id })).approvedShareBp).to.equal(4000);
      const final = await w.submitTx(regF, tx.ip.rejectLicense, { licenseId: a.id, reason: 'overlaps our plans' });
      expect(final.result).to.include({ status: 'rejected', rejectedShareBp: 6000, approvedShareBp: 4000 });
      expect(final.result.rejectedAt).to.be.a('string');
      expect(final.event?.name).to.equal(IpEvents.LicenseRejected);
      expect(await w.evaluate(regL, tx.ip.getLicense, { licenseId: a.id })).to.include({ stateToday: 'rejected' });

      // The same votes the other way round: the approvals reach 6500 bp first, effective.
      const b = await requestLicense(ip.id);
      await w.submit(regH, tx.ip.rejectLicense, { licenseId: b.id, reason: 'no' });
      await w.submit(regL, tx.ip.approveLicense, { licenseId: b.id });
      expect(await w.submit(regF, tx.ip.approveLicense, { licenseId: b.id })).to.include({ status: 'effective', approvedShareBp: 6500, rejectedShareBp: 3500 });
    });

    it('refuses a rejection by a county not co-owning, a non-regulator, a county that already voted, of a license not requested, without a reason; nothing written', async () => {
      const ip = await activeIp([
        { county: LIANGDANG, shareBp: 5000 },
        { county: HUIXIAN, shareBp: 5000 },
      ]);
      const l = await requestLicense(ip.id);
      await w.expectRefused('FORBIDDEN', () => w.submit(regF, tx.ip.rejectLicense, { licenseId: l.id, reason: 'x' }), /not a co-owner/);
      await w.expectRefused('FORBIDDEN', () => w.submit(enfL, tx.ip.rejectLicense, { licenseId: l.id, reason: 'x' }), /regulator/);
      await w.expectRefused('FORBIDDEN', () => w.submit(merchant, tx.ip.rejectLicense, { licenseId: l.id, reason: 'x' }), /regulator/);
      await w.expectRefused('NOT_FOUND', () => w.submit(regL, tx.ip.rejectLicense, { licenseId: 'lic-missing', reason: 'x' }));
      for (const bad of [
        { licenseId: l.id },
        { licenseId: l.id, reason: '' },
        { licenseId: l.id, reason: 'x'.repeat(501) },
        { licenseId: l.id, reason: 'x', extra: 1 },
      ])
        await w.expectRefused('INVALID_ARGUMENT', () => w.submit(regL, tx.ip.rejectLicense, bad));
      // 5000 bp rejecting is not more than half: still requested.
      expect(await w.submit(regH, tx.ip.rejectLicense, { licenseId: l.id, reason: 'no' })).to.include({ status: 'requested', rejectedShareBp: 5000 });
      await w.expectRefused('CONFLICT', () => w.submit(regH, tx.ip.rejectLicense, { licenseId: l.id, reason: 'no again' }), /already rejected/);
      await w.expectRefused('CONFLICT', () => w.submit(regH, tx.ip.approveLicense, { licenseId: l.id }), /already rejected/);
      await w.submit(regL, tx.ip.approveLicense, { licenseId: l.id });
      await w.expectRefused('CONFLICT', () => w.submit(regL, tx.ip.rejectLicense, { licenseId: l.id, reason: 'x' }), /already approved/);

      const effective = await requestLicense(ip.id);
      await w.submit(regL, tx.ip.approveLicense, { licenseId: effective.id });
      expect((await w.submit(regH, tx.ip.approveLicense, { licenseId: effective.id })).status).to.equal('effective');
      await w.expectRefused('CONFLICT', () => w.submit(regH, tx.ip.rejectLicense, { licenseId: effective.id, reason: 'x' }), /an effective one is revoked/);
    });

    it('the licensee’s merchant withdraws a request while it is requested; nobody else may (403); a withdrawn or rejected request takes no vote (409)', async () => {
      const ip = await activeIp();
      const l = await requestLicense(ip.id);
      await w.submit(regL, tx.ip.approveLicense, { licenseId: l.id });
      await w.expectRefused('FORBIDDEN', () => w.submit(otherMerchant, tx.ip.withdrawLicense, { licenseId: l.id }), /does not act for/);
      await w.expectRefused('FORBIDDEN', () => w.submit(regL, tx.ip.withdrawLicense, { licenseId: l.id }), /merchant/);
      await w.expectRefused('NOT_FOUND', () => w.submit(merchant, tx.ip.withdrawLicense, { licenseId: 'lic-missing' }));
      for (const bad of [{}, { licenseId: l.id, reason: '' }, { licenseId: l.id, note: 'x' }])
        await w.expectRefused('INVALID_ARGUMENT', () => w.submit(merchant, tx.ip.withdrawLicense, bad));
      const withdrawn = await w.submitTx(merchant, tx.ip.withdrawLicense, { licenseId: l.id, reason: '另行协商' });
      expect(withdrawn.result).to.include({ status: 'withdrawn', approvedShareBp: 4000 });
      expect(withdrawn.result.withdrawal).to.deep.equal({
        reason: '另行协商',
        by: { mspId: LIANGDANG, member: 'm-lic' },
        at: withdrawn.result.withdrawal.at,
        txId: withdrawn.txId,
      });
      expect(withdrawn.event).to.deep.equal({
        name: IpEvents.LicenseWithdrawn,
        payload: { licenseId: l.id, ipId: ip.id, licenseeSubjectId: licensee, status: 'withdrawn' },
      });
      expect(await w.evaluate(regL, tx.ip.getLicense, { licenseId: l.id })).to.include({ stateToday: 'withdrawn' });
      await w.expectRefused('CONFLICT', () => w.submit(merchant, tx.ip.withdrawLicense, { licenseId: l.id }), /withdrawn; only a requested license/);
      await w.expectRefused('CONFLICT', () => w.submit(regH, tx.ip.approveLicense, { licenseId: l.id }), /withdrawn/);
      await w.expectRefused('CONFLICT', () => w.submit(regH, tx.ip.rejectLicense, { licenseId: l.id, reason: 'x' }), /withdrawn/);
      await w.expectRefused('CONFLICT', () =>
        w.submit(merchant, tx.ip.reportRoyalty, { licenseId: l.id, periodFrom: l.termFrom, periodTo: l.termFrom, salesFen: 1 }),
      );

      // Neither an effective nor a rejected license can be withdrawn; a reason is optional.
      const e = await requestLicense(ip.id);
      await w.submit(regL, tx.ip.approveLicense, { licenseId: e.id });
      await w.submit(regH, tx.ip.approveLicense, { licenseId: e.id });
      await w.expectRefused('CONFLICT', () => w.submit(merchant, tx.ip.withdrawLicense, { licenseId: e.id }), /effective/);
      const r = await requestLicense(ip.id);
      await w.submit(regL, tx.ip.rejectLicense, { licenseId: r.id, reason: 'no' });
      await w.submit(regH, tx.ip.rejectLicense, { licenseId: r.id, reason: 'no' });
      await w.expectRefused('CONFLICT', () => w.submit(merchant, tx.ip.withdrawLicense, { licenseId: r.id }), /rejected/);
      await w.expectRefused('CONFLICT', () => w.submit(regF, tx.ip.approveLicense, { licenseId: r.id }), /rejected/);
      const plain = await w.submit(merchant, tx.ip.withdrawLicense, { licenseId: (await requestLicense(ip.id)).id });
      expect(plain.withdrawal).to.not.have.property('reason');
    });

    it(`the cap counts only open requests: ${MAX_OPEN_REQUESTS_PER_IP} open requests refuse the next; a withdrawal, a rejection or an approval makes room`, async () => {
      const ip = await activeIp([{ county: LIANGDANG, shareBp: 10000 }]);
      const open: string[] = [];
      for (let i = 0; i < MAX_OPEN_REQUESTS_PER_IP; i++) open.push((await requestLicense(ip.id, { categories: [`chestnut-${i}`] })).id);
      await w.expectRefused('RULE_VIOLATION', () => requestLicense(ip.id), new RegExp(`already has ${MAX_OPEN_REQUESTS_PER_IP} open license requests`));
      await w.submit(merchant, tx.ip.withdrawLicense, { licenseId: open[0] as string });
      const next = await requestLicense(ip.id);
      await w.expectRefused('RULE_VIOLATION', () => requestLicense(ip.id), /open license requests/);
      expect((await w.submit(regL, tx.ip.rejectLicense, { licenseId: open[1] as string, reason: 'no' })).status).to.equal('rejected');
      await requestLicense(ip.id);
      await w.expectRefused('RULE_VIOLATION', () => requestLicense(ip.id), /open license requests/);
      expect((await w.submit(regL, tx.ip.approveLicense, { licenseId: next.id })).status).to.equal('effective');
      expect((await requestLicense(ip.id)).status).to.equal('requested');
    });

    it(`at most ${MAX_EFFECTIVE_LICENSES_PER_IP} effective licenses per IP: the approval that would make one more effective is refused; a revocation makes room`, async () => {
      const ip = await activeIp([{ county: HUIXIAN, shareBp: 10000 }], regH);
      const effective: string[] = [];
      for (let i = 0; i < MAX_EFFECTIVE_LICENSES_PER_IP; i++) {
        const l = await requestLicense(ip.id);
        effective.push((await w.submit(regH, tx.ip.approveLicense, { licenseId: l.id })).id);
      }
      const more = await requestLicense(ip.id);
      await w.expectRefused('RULE_VIOLATION', () => w.submit(regH, tx.ip.approveLicense, { licenseId: more.id }), /already has 100 effective licenses/);
      await w.submit(regH, tx.ip.revokeLicense, { licenseId: effective[0] as string, ground: 'breach', reason: 'unpaid', evidenceRefs: ['doc:audit'] });
      expect((await w.submit(regH, tx.ip.approveLicense, { licenseId: more.id })).status).to.equal('effective');
    });
  });

  describe('segregation of duties: nobody decides on a license of a subject they act for', () => {
    it('a regulator of the majority owner bound to the licensee cannot make its exclusive ten-year license effective, reject or revoke it (403, nothing written); another regulator can', async () => {
      const ip = await activeIp([
        { county: LIANGDANG, shareBp: 9000 },
        { county: HUIXIAN, shareBp: 1000 },
      ]);
      // reg-l2 acts for the licensee (a binding by its county's regulator) as well as being a regulator of the 9000 bp owner.
      await w.submit(regL, tx.subjects.bindMerchant, { subjectId: licensee, member: 'reg-l2' });
      try {
        const l = await requestLicense(ip.id, { exclusive: true, termTo: addDays(today(), 3650) });
        await w.expectRefused(
          'FORBIDDEN',
          () => w.submit(regL2, tx.ip.approveLicense, { licenseId: l.id }),
          new RegExp(`acts for subject ${licensee} and may not approve`),
        );
        await w.expectRefused('FORBIDDEN', () => w.submit(regL2, tx.ip.rejectLicense, { licenseId: l.id, reason: 'x' }), /may not reject/);
        expect(await w.evaluate(regL, tx.ip.getLicense, { licenseId: l.id })).to.include({ status: 'requested', approvedShareBp: 0 });
        expect((await w.submit(regL, tx.ip.approveLicense, { licenseId: l.id })).status).to.equal('effective');
        const revocation = { licenseId: l.id, ground: 'infringement', reason: 'copies sold abroad', evidenceRefs: ['doc:case'] };
        await w.expectRefused('FORBIDDEN', () => w.submit(regL2, tx.ip.revokeLicense, revocation), /may not revoke/);
        // enforcement bound to the licensee likewise
        await w.submit(regL, tx.subjects.bindMerchant, { subjectId: licensee, member: 'enf-l' });
        await w.expectRefused('FORBIDDEN', () => w.submit(enfL, tx.ip.revokeLicense, revocation), /may not revoke/);
        await w.submit(regL, tx.subjects.unbindMerchant, { subjectId: licensee, member: 'enf-l' });
        expect((await w.submit(enfL, tx.ip.revokeLicense, revocation)).status).to.equal('revoked');
      } finally {
        await w.submit(regL, tx.subjects.unbindMerchant, { subjectId: licensee, member: 'reg-l2' });
      }
    });
  });
});
