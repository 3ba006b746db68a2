import { tx } from '../../chaincode/src/catalogue';
import { expect } from 'chai';
import { IpEvents } from '../../chaincode/src/ip/ip-contract';
import { addDays } from '../../chaincode/src/kernel/time';
import { AppFixture, openAppFixture } from '../support/app-fixture';
import { blacklistSubject } from '../support/credit-world';
import { created, expectRefusedHttp, okJson, registerCounties, today } from '../support/fund-world';
import { FENGXIAN, HUIXIAN, LIANGDANG } from '../support/ledger-fixture';
import { registerEnterprise, useClock, Who, World } from '../support/market-world';

const API = '/api/v1';
const OWNERS = [
  { county: LIANGDANG, shareBp: 4000 },
  { county: HUIXIAN, shareBp: 3500 },
  { county: FENGXIAN, shareBp: 2500 },
];
/** Each county's regulator in this suite. */
const REG: Record<string, string> = { [LIANGDANG]: 'reg-l', [HUIXIAN]: 'reg-h', [FENGXIAN]: 'reg-f' };

describe('gateway /api/v1/ip and /licenses: cultural-IP licensing (文化IP授权)', function () {
  this.timeout(60_000);
  let f: AppFixture;
  let w: World;
  let clock: ReturnType<typeof useClock>;
  const key: Record<string, string> = {};
  let regL: Who;
  let licensee: string;
  let other: string;
  let T: string;

  const ipBody = (overrides: Record<string, unknown> = {}) => ({
    title: 'Liangdang paper-cut (两当剪纸)',
    kind: 'intangible-heritage',
    owners: OWNERS,
    proofEvidenceRefs: ['doc:heritage-listing-2008'],
    ...overrides,
  });
  const terms = (overrides: Record<string, unknown> = {}) => ({
    licenseeSubjectId: licensee,
    categories: ['paper-cut'],
    territory: [LIANGDANG, HUIXIAN],
    termFrom: T,
    termTo: addDays(T, 365),
    exclusive: true,
    royaltyRateBp: 350,
    fixedFeeFen: 10_000,
    ...overrides,
  });
  const accept = (ipId: string, who: string, body?: unknown) => f.request('POST', `${API}/ip/${ipId}/acceptances`, key[who], body);
  /** Liangdang's regulator registers an IP (its own share accepted) and every other named county accepts: active. */
  const registerIp = async (overrides: Record<string, unknown> = {}) => {
    let ip = created(await f.request('POST', `${API}/ip`, key['reg-l'], ipBody(overrides)));
    for (const o of ip.owners as Array<{ county: string }>) if (o.county !== LIANGDANG) ip = created(await accept(ip.id, REG[o.county] as string));
    expect(ip.status).to.equal('active');
    return ip;
  };
  const request = (ipId: string, overrides: Record<string, unknown> = {}, who = 'm-lic') =>
    f.request('POST', `${API}/ip/${ipId}/licenses`, key[who], terms(overrides));
  const approve = (licenseId: string, who: string) => f.request('POST', `${API}/licenses/${licenseId}/approvals`, key[who]);
  /** Requests a license and has Liangdang and Huixian approve it (7500 bp): effective. */
  const effective = async (ipId: string, overrides: Record<string, unknown> = {}, who = 'm-lic') => {
    const l = created(await request(ipId, overrides, who));
    created(await approve(l.id, 'reg-l'));
    return created(await approve(l.id, 'reg-h'));
  };

  before(async () => {
    clock = useClock();
    f = await openAppFixture();
    w = World.over(f.ledger);
    T = today();
    await registerCounties(w);
    for (const [county, name, role] of [
      [LIANGDANG, 'reg-l', 'regulator'],
      [HUIXIAN, 'reg-h', 'regulator'],
      [FENGXIAN, 'reg-f', 'regulator'],
      [HUIXIAN, 'enf-h', 'enforcement'],
      [FENGXIAN, 'enf-f', 'enforcement'],
      [LIANGDANG, 'm-lic', 'merchant'],
      [HUIXIAN, 'm-other', 'merchant'],
    ] as const) {
      await w.member(county, name, role);
      key[name] = await f.keyFor(county, name);
    }
    regL = await w.id(LIANGDANG, 'reg-l');
    licensee = await registerEnterprise(w, regL, LIANGDANG, 'green');
    await w.submit(regL, tx.subjects.bindMerchant, { subjectId: licensee, member: 'm-lic' });
    const regH = await w.id(HUIXIAN, 'reg-h');
    other = await registerEnterprise(w, regH, HUIXIAN, 'green');
    await w.submit(regH, tx.subjects.bindMerchant, { subjectId: other, member: 'm-other' });
  });
  after(async () => {
    clock.restore();
    await f.close();
  });

  describe('IP assets', () => {
    it('a regulator of an owner county registers an IP co-owned by counties whose shares sum to exactly 10000; it is active once every named county accepted', async () => {
      const res = await f.request('POST', `${API}/ip`, key['reg-h'], ipBody());
      const ip = created(res);
      expect(ip).to.include({ kind: 'intangible-heritage', status: 'pending-consent', acceptedShareBp: 3500 });
      expect(ip.owners).to.deep.equal(OWNERS);
      expect(ip.registeredBy).to.deep.equal({ mspId: HUIXIAN, member: 'reg-h' });
      expect(ip.consents.map((c: any) => [c.county, c.decision, c.shareBp])).to.deep.equal([[HUIXIAN, 'accepted', 3500]]);
      expect(okJson(await f.request('GET', `${API}/ip/${ip.id}`, key['m-lic']))).to.deep.equal(ip);
      expect(okJson(await f.request('GET', `${API}/ip?kind=intangible-heritage`, key['m-lic'])).items.map((x: any) => x.id)).to.include(ip.id);
      const block = await f.ledger.ledger.getBlock(res.json().blockNumber);
      expect(block?.data.find((t) => t.txId === res.json().txId)?.event?.name).to.equal(IpEvents.IpRegistered);
      expect(created(await accept(ip.id, 'reg-l', { note: '两当县同意' }))).to.include({ status: 'pending-consent', acceptedShareBp: 7500 });
      const last = await accept(ip.id, 'reg-f');
      expect(created(last)).to.include({ status: 'active', acceptedShareBp: 10000 });
      const lastBlock = await f.ledger.ledger.getBlock(last.json().blockNumber);
      expect(lastBlock?.data.find((t) => t.txId === last.json().txId)?.event?.name).to.equal(IpEvents.IpActivated);
    });

    it('refuses shares over or under 10000, zero or fractional shares, repeated or unknown counties, missing proof (400)', async () => {
      const bad: unknown[] = [
        ipBody({
          owners: [
            { county: LIANGDANG, shareBp: 6000 },
            { county: HUIXIAN, shareBp: 5000 },
          ],
        }),
        ipBody({ owners: [{ county: LIANGDANG, shareBp: 10001 }] }),
        ipBody({
          owners: [
            { county: LIANGDANG, shareBp: 5000 },
            { county: HUIXIAN, shareBp: 4999 },
          ],
        }),
        ipBody({
          owners: [
            { county: LIANGDANG, shareBp: 10000 },
            { county: HUIXIAN, shareBp: 0 },
          ],
        }),
        ipBody({
          owners: [
            { county: LIANGDANG, shareBp: 5000.5 },
            { county: HUIXIAN, shareBp: 4999.5 },
          ],
        }),
        ipBody({
          owners: [
            { county: LIANGDANG, shareBp: -5000 },
            { county: HUIXIAN, shareBp: 15000 },
          ],
        }),
        ipBody({
          owners: [
            { county: LIANGDANG, shareBp: 5000 },
            { county: LIANGDANG, shareBp: 5000 },
          ],
        }),
        ipBody({ owners: [] }),
        ipBody({ proofEvidenceRefs: [] }),
        ipBody({ kind: 'folk-song' }),
        ipBody({ extra: true }),
      ];
      for (const body of bad) await expectRefusedHttp(w, 400, 'INVALID_ARGUMENT', () => f.request('POST', `${API}/ip`, key['reg-l'], body));
      await expectRefusedHttp(
        w,
        400,
        'INVALID_ARGUMENT',
        () =>
          f.request(
            'POST',
            `${API}/ip`,
            key['reg-l'],
            ipBody({
              owners: [
                { county: LIANGDANG, shareBp: 5000 },
                { county: 'QinzhouMSP', shareBp: 5000 },
              ],
            }),
          ),
        /not a registered county/,
      );
    });

    it('a regulator of a county not named registers only a proposal to the named counties (nothing accepted); only regulators register (403)', async () => {
      const ip = created(
        await f.request(
          'POST',
          `${API}/ip`,
          key['reg-f'],
          ipBody({
            owners: [
              { county: LIANGDANG, shareBp: 5000 },
              { county: HUIXIAN, shareBp: 5000 },
            ],
          }),
        ),
      );
      expect(ip).to.include({ status: 'pending-consent', acceptedShareBp: 0 });
      expect(ip.consents).to.deep.equal([]);
      await expectRefusedHttp(w, 409, 'CONFLICT', () => request(ip.id), /pending-consent/);
      await expectRefusedHttp(w, 403, 'FORBIDDEN', () => f.request('POST', `${API}/ip`, key['m-lic'], ipBody()));
      await expectRefusedHttp(w, 403, 'FORBIDDEN', () => f.request('POST', `${API}/ip`, key['enf-h'], ipBody()));
      await expectRefusedHttp(w, 404, 'NOT_FOUND', () => f.request('GET', `${API}/ip/ip-missing`, key['m-lic']));
    });
  });

  describe('co-ownership by consent: /ip/{id}/acceptances, /declination, /withdrawal, /ip/awaiting-consent', () => {
    const pending = async (owners = OWNERS, who = 'reg-l') => created(await f.request('POST', `${API}/ip`, key[who], ipBody({ owners })));
    const awaitingOf = async (county: string, who = 'reg-f') =>
      okJson(await f.request('GET', `${API}/ip/awaiting-consent?county=${county}&limit=200`, key[who])).items.map((x: any) => x.id);

    it('a named county’s regulator accepts its share (with or without a note); the last acceptance activates; refused: not named, not a regulator, twice, unknown, bad body', async () => {
      const ip = await pending();
      expect(await awaitingOf(HUIXIAN)).to.include(ip.id);
      await expectRefusedHttp(w, 409, 'CONFLICT', () => request(ip.id), /pending-consent/);
      await expectRefusedHttp(w, 403, 'FORBIDDEN', () => accept(ip.id, 'm-lic'));
      await expectRefusedHttp(w, 403, 'FORBIDDEN', () => accept(ip.id, 'enf-h'));
      await expectRefusedHttp(w, 404, 'NOT_FOUND', () => accept('ip-nope', 'reg-h'));
      for (const bad of [{ note: '' }, { note: 'x'.repeat(501) }, { extra: 1 }, { ipId: ip.id }])
        await expectRefusedHttp(w, 400, 'INVALID_ARGUMENT', () => accept(ip.id, 'reg-h', bad));
      await expectRefusedHttp(w, 409, 'CONFLICT', () => accept(ip.id, 'reg-l'), /already accepted/);
      expect(created(await accept(ip.id, 'reg-h', { note: '同意' }))).to.include({ status: 'pending-consent', acceptedShareBp: 7500 });
      expect(await awaitingOf(HUIXIAN)).to.not.include(ip.id);
      expect(await awaitingOf(FENGXIAN)).to.include(ip.id);
      expect(created(await accept(ip.id, 'reg-f'))).to.include({ status: 'active', acceptedShareBp: 10000 });
      await expectRefusedHttp(w, 409, 'CONFLICT', () => accept(ip.id, 'reg-f'), /active/);
      expect(created(await request(ip.id, { territory: [FENGXIAN], exclusive: false })).status).to.equal('requested');

      // Naming only another county with all the shares: a registration awaiting that county.
      const gi = await pending([{ county: HUIXIAN, shareBp: 10000 }]);
      expect(gi).to.include({ status: 'pending-consent', acceptedShareBp: 0 });
      await expectRefusedHttp(w, 403, 'FORBIDDEN', () => accept(gi.id, 'reg-l'), /not named/);
      await expectRefusedHttp(w, 409, 'CONFLICT', () => request(gi.id), /pending-consent/);
      expect(created(await accept(gi.id, 'reg-h'))).to.include({ status: 'active' });
    });

    it('a named county declines with a reason: declined for good; refused without a reason (400), by a county not named (403), after a decision (409)', async () => {
      const ip = await pending();
      const decline = (who: string, body: unknown) => f.request('POST', `${API}/ip/${ip.id}/declination`, key[who], body);
      for (const bad of [undefined, {}, { reason: '' }, { reason: 'x', note: 'y' }])
        await expectRefusedHttp(w, 400, 'INVALID_ARGUMENT', () => decline('reg-h', bad));
      await expectRefusedHttp(w, 403, 'FORBIDDEN', () => decline('m-lic', { reason: 'no' }));
      await expectRefusedHttp(w, 409, 'CONFLICT', () => decline('reg-l', { reason: 'no' }), /already accepted/);
      const res = await decline('reg-h', { reason: '徽县不是共有人' });
      expect(created(res)).to.include({ status: 'declined' });
      const block = await f.ledger.ledger.getBlock(res.json().blockNumber);
      expect(block?.data.find((t) => t.txId === res.json().txId)?.event?.name).to.equal(IpEvents.IpShareDeclined);
      await expectRefusedHttp(w, 409, 'CONFLICT', () => decline('reg-f', { reason: 'no' }), /declined/);
      await expectRefusedHttp(w, 409, 'CONFLICT', () => accept(ip.id, 'reg-f'), /declined/);
      await expectRefusedHttp(w, 409, 'CONFLICT', () => request(ip.id), /declined/);
      expect(await awaitingOf(FENGXIAN)).to.not.include(ip.id);
    });

    it('the registering county withdraws an IP awaiting consent; refused without a reason (400), by another county (403), once active (409)', async () => {
      const ip = await pending();
      const withdraw = (id: string, who: string, body: unknown) => f.request('POST', `${API}/ip/${id}/withdrawal`, key[who], body);
      for (const bad of [undefined, {}, { reason: '' }]) await expectRefusedHttp(w, 400, 'INVALID_ARGUMENT', () => withdraw(ip.id, 'reg-l', bad));
      await expectRefusedHttp(w, 403, 'FORBIDDEN', () => withdraw(ip.id, 'reg-h', { reason: 'x' }), /registered by LiangdangMSP/);
      await expectRefusedHttp(w, 404, 'NOT_FOUND', () => withdraw('ip-nope', 'reg-l', { reason: 'x' }));
      expect(created(await withdraw(ip.id, 'reg-l', { reason: 'shares to be agreed first' }))).to.include({ status: 'withdrawn' });
      await expectRefusedHttp(w, 409, 'CONFLICT', () => withdraw(ip.id, 'reg-l', { reason: 'again' }));
      await expectRefusedHttp(w, 409, 'CONFLICT', () => accept(ip.id, 'reg-h'), /withdrawn/);
      const active = await registerIp();
      await expectRefusedHttp(w, 409, 'CONFLICT', () => withdraw(active.id, 'reg-l', { reason: 'x' }), /only an IP awaiting consent/);
    });

    it('GET /ip/awaiting-consent takes a county (400 otherwise) and needs a key (401)', async () => {
      await expectRefusedHttp(w, 400, 'INVALID_ARGUMENT', () => f.request('GET', `${API}/ip/awaiting-consent`, key['reg-h']));
      await expectRefusedHttp(w, 400, 'INVALID_ARGUMENT', () => f.request('GET', `${API}/ip/awaiting-consent?county=not%20msp`, key['reg-h']));
      expect((await f.request('GET', `${API}/ip/awaiting-consent?county=${HUIXIAN}`)).statusCode).to.equal(401);
    });
  });

  describe('license requests and approvals', () => {
    let ipId: string;
    before(async () => {
      ipId = (await registerIp()).id;
    });

    it('refuses bad terms (400): a term ending before it starts, no royalty nor fee, negative or fractional fees, rates over 10000, unknown counties', async () => {
      const bad = [
        { termFrom: addDays(T, 10), termTo: addDays(T, 9) },
        { royaltyRateBp: undefined, fixedFeeFen: undefined },
        { royaltyRateBp: 0, fixedFeeFen: 0 },
        { fixedFeeFen: -1 },
        { fixedFeeFen: 99.5 },
        { royaltyRateBp: 10001 },
        { royaltyRateBp: 12.5 },
        { territory: [] },
        { territory: [LIANGDANG, LIANGDANG] },
        { categories: ['Paper Cut'] },
        { termFrom: '2026-13-01' },
        { licenseeSubjectId: '91350100M000100Y44' },
        { exclusive: 'yes' },
      ];
      for (const overrides of bad) await expectRefusedHttp(w, 400, 'INVALID_ARGUMENT', () => request(ipId, overrides));
      await expectRefusedHttp(w, 400, 'INVALID_ARGUMENT', () => request(ipId, { territory: [LIANGDANG, 'NowhereMSP'] }), /not a registered county/);
    });

    it('refuses a merchant not acting for the licensee (403), an unknown IP (404), a term already over (422)', async () => {
      await expectRefusedHttp(w, 403, 'FORBIDDEN', () => request(ipId, {}, 'm-other'));
      await expectRefusedHttp(w, 403, 'FORBIDDEN', () => request(ipId, {}, 'reg-l'));
      await expectRefusedHttp(w, 404, 'NOT_FOUND', () => request('ip-nope'));
      await expectRefusedHttp(w, 422, 'RULE_VIOLATION', () => request(ipId, { termFrom: '2025-01-01', termTo: addDays(T, -1) }), /already over/);
    });

    it('takes effect only once owners holding more than 5000 bp approved; each owner county once; only owner regulators approve', async () => {
      const l = created(await request(ipId));
      expect(l).to.include({ status: 'requested', approvedShareBp: 0, exclusive: true });
      expect(okJson(await f.request('GET', `${API}/licenses/${l.id}`, key['m-lic']))).to.include({ stateToday: 'requested' });
      await expectRefusedHttp(w, 403, 'FORBIDDEN', () => approve(l.id, 'm-lic'));
      await expectRefusedHttp(w, 403, 'FORBIDDEN', () => approve(l.id, 'enf-h'));
      await expectRefusedHttp(w, 404, 'NOT_FOUND', () => approve('lic-nope', 'reg-l'));
      const first = await approve(l.id, 'reg-l');
      expect(created(first)).to.include({ status: 'requested', approvedShareBp: 4000 });
      await expectRefusedHttp(w, 409, 'CONFLICT', () => approve(l.id, 'reg-l'), /already approved/);
      const second = await approve(l.id, 'reg-f');
      expect(created(second)).to.include({ status: 'effective', approvedShareBp: 6500 });
      const block = await f.ledger.ledger.getBlock(second.json().blockNumber);
      expect(block?.data.find((t) => t.txId === second.json().txId)?.event?.name).to.equal(IpEvents.LicenseEffective);
      expect(created(await approve(l.id, 'reg-h'))).to.include({ status: 'effective', approvedShareBp: 10000 });
      expect(okJson(await f.request('GET', `${API}/licenses/${l.id}`, key['reg-f']))).to.include({ stateToday: 'active' });

      // An IP that Fengxian does not co-own: its regulator may not approve.
      const ip2 = await registerIp({
        owners: [
          { county: LIANGDANG, shareBp: 5000 },
          { county: HUIXIAN, shareBp: 5000 },
        ],
      });
      const l2 = created(await request(ip2.id));
      await expectRefusedHttp(w, 403, 'FORBIDDEN', () => approve(l2.id, 'reg-f'), /not a co-owner/);
      expect(created(await approve(l2.id, 'reg-l'))).to.include({ status: 'requested', approvedShareBp: 5000 });
    });

    it('refuses overlapping exclusive licenses and non-exclusive ones overlapping an exclusive (same IP, overlapping territory and term)', async () => {
      const ip = await registerIp();
      const a = await effective(ip.id, { territory: [LIANGDANG, HUIXIAN], termFrom: addDays(T, 10), termTo: addDays(T, 100), exclusive: true });
      expect(a.status).to.equal('effective');
      await expectRefusedHttp(
        w,
        422,
        'RULE_VIOLATION',
        () => request(ip.id, { territory: [HUIXIAN], termFrom: addDays(T, 100), termTo: addDays(T, 200), exclusive: true }),
        /exclusive/,
      );
      await expectRefusedHttp(
        w,
        422,
        'RULE_VIOLATION',
        () => request(ip.id, { territory: [HUIXIAN, FENGXIAN], termFrom: T, termTo: addDays(T, 10), exclusive: false }),
        /exclusive/,
      );
      // Another county, or days after the term: no overlap.
      expect(created(await request(ip.id, { territory: [FENGXIAN], termFrom: addDays(T, 10), termTo: addDays(T, 100), exclusive: true })).status).to.equal(
        'requested',
      );
      const later = await effective(ip.id, { territory: [LIANGDANG], termFrom: addDays(T, 101), termTo: addDays(T, 200), exclusive: false });
      // Non-exclusive licenses may overlap each other, but then no exclusive one may overlap them.
      expect((await effective(ip.id, { territory: [LIANGDANG], termFrom: addDays(T, 150), termTo: addDays(T, 300), exclusive: false })).status).to.equal(
        'effective',
      );
      await expectRefusedHttp(
        w,
        422,
        'RULE_VIOLATION',
        () => request(ip.id, { territory: [LIANGDANG, FENGXIAN], termFrom: addDays(T, 200), termTo: addDays(T, 220), exclusive: true }),
        /is exclusive but overlaps the license lic-/,
      );
      expect(later.status).to.equal('effective');
      // Different IP: no conflict.
      const ip2 = await registerIp();
      expect(
        (await effective(ip2.id, { territory: [LIANGDANG, HUIXIAN], termFrom: addDays(T, 10), termTo: addDays(T, 100), exclusive: true })).status,
      ).to.equal('effective');
    });

    it('whichever of two conflicting requests reaches the majority first wins; the other’s decisive approval is refused (422), nothing written', async () => {
      const ip = await registerIp();
      const x = created(await request(ip.id, { territory: [HUIXIAN], exclusive: true }));
      const y = created(await request(ip.id, { territory: [HUIXIAN, FENGXIAN], exclusive: false }, 'm-lic'));
      created(await approve(y.id, 'reg-h'));
      created(await approve(x.id, 'reg-l'));
      created(await approve(y.id, 'reg-f'));
      expect(created(await approve(y.id, 'reg-l'))).to.include({ status: 'effective' });
      await expectRefusedHttp(w, 422, 'RULE_VIOLATION', () => approve(x.id, 'reg-h'), new RegExp(y.id));
      expect(okJson(await f.request('GET', `${API}/licenses/${x.id}`, key['m-lic']))).to.include({ status: 'requested', approvedShareBp: 4000 });
      const list = okJson(await f.request('GET', `${API}/ip/${ip.id}/licenses`, key['m-lic']));
      expect(list.items.map((l: any) => [l.id, l.status]).sort()).to.deep.equal(
        [
          [x.id, 'requested'],
          [y.id, 'effective'],
        ].sort(),
      );
    });

    it('a licensee restricted from licensing by the blacklist is refused, at request and at the approval that would make it effective', async () => {
      const ip = await registerIp();
      const restricted = await registerEnterprise(w, regL, LIANGDANG, 'green');
      await w.submit(regL, tx.subjects.bindMerchant, { subjectId: restricted, member: 'm-lic' });
      const tradingOnly = await registerEnterprise(w, regL, LIANGDANG, 'green');
      await w.submit(regL, tx.subjects.bindMerchant, { subjectId: tradingOnly, member: 'm-lic' });
      const pending = created(await request(ip.id, { licenseeSubjectId: restricted, territory: [FENGXIAN], exclusive: false }));
      created(await approve(pending.id, 'reg-l'));
      const enfF = await w.id(FENGXIAN, 'enf-f');
      await blacklistSubject(w, enfF, restricted, { measures: ['licensing'] });
      await expectRefusedHttp(
        w,
        422,
        'RULE_VIOLATION',
        () => request(ip.id, { licenseeSubjectId: restricted, territory: [FENGXIAN], exclusive: false }),
        /restricted from licensing/,
      );
      await expectRefusedHttp(w, 422, 'RULE_VIOLATION', () => approve(pending.id, 'reg-h'), /restricted from licensing/);
      // A trading-only restriction does not bar licensing.
      await blacklistSubject(w, enfF, tradingOnly, { measures: ['trading'] });
      expect(created(await request(ip.id, { licenseeSubjectId: tradingOnly, territory: [FENGXIAN], exclusive: false })).status).to.equal('requested');
    });
  });

  describe('rejection and withdrawal of license requests: /licenses/{id}/rejections, /licenses/{id}/withdrawal', () => {
    let ipId: string;
    before(async () => {
      ipId = (await registerIp()).id;
    });
    const reject = (licenseId: string, who: string, body: unknown = { reason: '条款不合理' }) =>
      f.request('POST', `${API}/licenses/${licenseId}/rejections`, key[who], body);
    const withdraw = (licenseId: string, who = 'm-lic', body?: unknown) => f.request('POST', `${API}/licenses/${licenseId}/withdrawal`, key[who], body);

    it('owner regulators reject by share: final once the rejecting shares exceed 5000 bp; refused: not an owner, not a regulator, twice, after approving, no reason', async () => {
      const l = created(await request(ipId, { territory: [FENGXIAN], exclusive: false }));
      for (const bad of [undefined, {}, { reason: '' }, { reason: 'x', extra: 1 }])
        await expectRefusedHttp(w, 400, 'INVALID_ARGUMENT', () => f.request('POST', `${API}/licenses/${l.id}/rejections`, key['reg-h'], bad));
      await expectRefusedHttp(w, 403, 'FORBIDDEN', () => reject(l.id, 'm-lic'));
      await expectRefusedHttp(w, 403, 'FORBIDDEN', () => reject(l.id, 'enf-h'));
      await expectRefusedHttp(w, 404, 'NOT_FOUND', () => reject('lic-nope', 'reg-h'));
      expect(created(await reject(l.id, 'reg-h'))).to.include({ status: 'requested', rejectedShareBp: 3500 });
      await expectRefusedHttp(w, 409, 'CONFLICT', () => reject(l.id, 'reg-h'), /already rejected/);
      await expectRefusedHttp(w, 409, 'CONFLICT', () => approve(l.id, 'reg-h'), /already rejected/);
      created(await approve(l.id, 'reg-f'));
      await expectRefusedHttp(w, 409, 'CONFLICT', () => reject(l.id, 'reg-f'), /already approved/);
      const final = await reject(l.id, 'reg-l');
      expect(created(final)).to.include({ status: 'rejected', rejectedShareBp: 7500, approvedShareBp: 2500 });
      const block = await f.ledger.ledger.getBlock(final.json().blockNumber);
      expect(block?.data.find((t) => t.txId === final.json().txId)?.event?.name).to.equal(IpEvents.LicenseRejected);
      expect(okJson(await f.request('GET', `${API}/licenses/${l.id}`, key['m-lic']))).to.include({ stateToday: 'rejected' });
      await expectRefusedHttp(w, 409, 'CONFLICT', () => withdraw(l.id), /rejected/);
    });

    it('the licensee’s merchant withdraws a requested license (with or without a reason); refused: another merchant or a regulator, an effective license, bad body', async () => {
      const l = created(await request(ipId, { territory: [FENGXIAN], exclusive: false }));
      await expectRefusedHttp(w, 403, 'FORBIDDEN', () => withdraw(l.id, 'm-other'));
      await expectRefusedHttp(w, 403, 'FORBIDDEN', () => withdraw(l.id, 'reg-l'));
      await expectRefusedHttp(w, 404, 'NOT_FOUND', () => withdraw('lic-nope'));
      for (const bad of [{ reason: '' }, { note: 'x' }]) await expectRefusedHttp(w, 400, 'INVALID_ARGUMENT', () => withdraw(l.id, 'm-lic', bad));
      const res = await withdraw(l.id, 'm-lic', { reason: '另行协商' });
      expect(created(res)).to.include({ status: 'withdrawn' });
      const block = await f.ledger.ledger.getBlock(res.json().blockNumber);
      expect(block?.data.find((t) => t.txId === res.json().txId)?.event?.name).to.equal(IpEvents.LicenseWithdrawn);
      await expectRefusedHttp(w, 409, 'CONFLICT', () => withdraw(l.id), /withdrawn/);
      await expectRefusedHttp(w, 409, 'CONFLICT', () => approve(l.id, 'reg-l'), /withdrawn/);
      expect(created(await withdraw(created(await request(ipId, { territory: [FENGXIAN], exclusive: false })).id)).status).to.equal('withdrawn');
      const e = await effective(ipId, { territory: [FENGXIAN], exclusive: false });
      await expectRefusedHttp(w, 409, 'CONFLICT', () => withdraw(e.id), /effective/);
      await expectRefusedHttp(w, 409, 'CONFLICT', () => reject(e.id, 'reg-f'), /an effective one is revoked/);
    });

    it('a regulator acting for the licensee neither approves nor rejects its license (403, nothing written)', async () => {
      const regL = await w.id(LIANGDANG, 'reg-l');
      await w.submit(regL, tx.subjects.bindMerchant, { subjectId: licensee, member: 'reg-l' });
      try {
        const l = created(await request(ipId, { territory: [FENGXIAN], exclusive: false }));
        await expectRefusedHttp(w, 403, 'FORBIDDEN', () => approve(l.id, 'reg-l'), /acts for subject/);
        await expectRefusedHttp(w, 403, 'FORBIDDEN', () => reject(l.id, 'reg-l'), /acts for subject/);
      } finally {
        await w.submit(regL, tx.subjects.unbindMerchant, { subjectId: licensee, member: 'reg-l' });
      }
    });
  });

  describe('listing cultural-IP derivatives (the trade flow extension point)', () => {
    let ipId: string;
    let active: any;
    const derivative = (licenseRef: string, overrides: Record<string, unknown> = {}) => ({
      ownerSubjectId: licensee,
      kind: 'ip-derivative',
      title: 'Paper-cut bookmarks',
      category: 'paper-cut',
      costFen: 500,
      priceFen: 1200,
      licenseRef,
      ...overrides,
    });
    before(async () => {
      ipId = (await registerIp()).id;
      active = await effective(ipId, { territory: [LIANGDANG], categories: ['paper-cut', 'lantern'], exclusive: false });
    });

    it('lists with a license active today that covers the seller, the category and the origin county', async () => {
      const asset = created(await f.request('POST', `${API}/assets`, key['m-lic'], derivative(active.id)));
      expect(asset).to.include({ kind: 'ip-derivative', licenseRef: active.id, originCounty: LIANGDANG, status: 'listed' });
    });

    it('refuses (422) a license not covering the category or the county, not the seller’s, not yet effective, not begun, or unknown', async () => {
      await expectRefusedHttp(
        w,
        422,
        'RULE_VIOLATION',
        () => f.request('POST', `${API}/assets`, key['m-lic'], derivative(active.id, { category: 'embroidery' })),
        /category/,
      );
      const huixianOnly = await effective(ipId, { territory: [HUIXIAN], exclusive: false });
      await expectRefusedHttp(
        w,
        422,
        'RULE_VIOLATION',
        () => f.request('POST', `${API}/assets`, key['m-lic'], derivative(huixianOnly.id)),
        /county LiangdangMSP/,
      );
      const othersLicense = await effective(ipId, { licenseeSubjectId: other, territory: [LIANGDANG, HUIXIAN], exclusive: false }, 'm-other');
      await expectRefusedHttp(w, 422, 'RULE_VIOLATION', () => f.request('POST', `${API}/assets`, key['m-lic'], derivative(othersLicense.id)), /held by/);
      const requested = created(await request(ipId, { territory: [LIANGDANG], exclusive: false }));
      await expectRefusedHttp(
        w,
        422,
        'RULE_VIOLATION',
        () => f.request('POST', `${API}/assets`, key['m-lic'], derivative(requested.id)),
        /not active.*requested/,
      );
      const future = await effective(ipId, { territory: [LIANGDANG], termFrom: addDays(T, 30), termTo: addDays(T, 60), exclusive: false });
      expect(okJson(await f.request('GET', `${API}/licenses/${future.id}`, key['m-lic']))).to.include({ stateToday: 'pending' });
      await expectRefusedHttp(w, 422, 'RULE_VIOLATION', () => f.request('POST', `${API}/assets`, key['m-lic'], derivative(future.id)), /not active.*pending/);
      await expectRefusedHttp(
        w,
        422,
        'RULE_VIOLATION',
        () => f.request('POST', `${API}/assets`, key['m-lic'], derivative('lic-00000000000000000000000000000000')),
        /does not exist/,
      );
    });
  });

  describe('revocation and expiry', () => {
    it('an owner county’s regulator or enforcement revokes an effective license for infringement or breach; it is no longer usable', async () => {
      const ip = await registerIp({
        owners: [
          { county: LIANGDANG, shareBp: 6000 },
          { county: HUIXIAN, shareBp: 4000 },
        ],
      });
      const l = created(await request(ip.id, { territory: [LIANGDANG], exclusive: true }));
      const revocation = { ground: 'breach', reason: 'royalties unpaid for two periods', evidenceRefs: ['doc:audit-2026-07'] };
      await expectRefusedHttp(
        w,
        409,
        'CONFLICT',
        () => f.request('POST', `${API}/licenses/${l.id}/revocation`, key['enf-h'], revocation),
        /only an effective license/,
      );
      created(await approve(l.id, 'reg-l'));
      const derivative = { ownerSubjectId: licensee, kind: 'ip-derivative', title: 'x', category: 'paper-cut', costFen: 500, priceFen: 1200, licenseRef: l.id };
      const listedBefore = created(await f.request('POST', `${API}/assets`, key['m-lic'], derivative));
      expect(okJson(await f.request('GET', `${API}/assets?category=paper-cut&limit=200`, key['m-other'])).items.map((a: any) => a.id)).to.include(
        listedBefore.id,
      );
      await expectRefusedHttp(w, 403, 'FORBIDDEN', () => f.request('POST', `${API}/licenses/${l.id}/revocation`, key['m-lic'], revocation));
      await expectRefusedHttp(w, 403, 'FORBIDDEN', () => f.request('POST', `${API}/licenses/${l.id}/revocation`, key['enf-f'], revocation), /not a co-owner/);
      for (const bad of [
        { ...revocation, ground: 'dislike' },
        { ...revocation, evidenceRefs: [] },
        { ...revocation, reason: '' },
      ]) {
        await expectRefusedHttp(w, 400, 'INVALID_ARGUMENT', () => f.request('POST', `${API}/licenses/${l.id}/revocation`, key['enf-h'], bad));
      }
      const res = await f.request('POST', `${API}/licenses/${l.id}/revocation`, key['enf-h'], { ...revocation, ground: 'infringement' });
      const revoked = created(res);
      expect(revoked).to.include({ status: 'revoked' });
      expect(revoked.revocation).to.include({ ground: 'infringement', date: T });
      // Its derivative listed before is no longer for sale: left out of the listing view, orders refused.
      expect(okJson(await f.request('GET', `${API}/assets?category=paper-cut&limit=200`, key['m-other'])).items.map((a: any) => a.id)).to.not.include(
        listedBefore.id,
      );
      await expectRefusedHttp(
        w,
        422,
        'RULE_VIOLATION',
        () =>
          f.request('POST', `${API}/orders`, key['m-other'], {
            assetId: listedBefore.id,
            buyerSubjectId: other,
            depositFen: 100,
            depositPaymentRef: 'pay:dep-1',
          }),
        /revoked/,
      );
      await expectRefusedHttp(w, 409, 'CONFLICT', () => f.request('POST', `${API}/licenses/${l.id}/revocation`, key['reg-l'], revocation));
      await expectRefusedHttp(w, 409, 'CONFLICT', () => approve(l.id, 'reg-h'), /revoked/);
      expect(okJson(await f.request('GET', `${API}/licenses/${l.id}`, key['m-lic']))).to.include({ stateToday: 'revoked' });
      await expectRefusedHttp(w, 422, 'RULE_VIOLATION', () =>
        f.request('POST', `${API}/assets`, key['m-lic'], {
          ownerSubjectId: licensee,
          kind: 'ip-derivative',
          title: 'x',
          category: 'paper-cut',
          costFen: 1,
          priceFen: 2,
          licenseRef: l.id,
        }),
      );
      // A revoked exclusive license no longer blocks the territory.
      expect((await effective(ip.id, { territory: [LIANGDANG], exclusive: true })).status).to.equal('effective');
    });
  });

  describe('royalty reports and statements', () => {
    let ipId: string;
    let lic: any;
    before(async () => {
      ipId = (await registerIp()).id;
      lic = await effective(ipId, {
        territory: [FENGXIAN],
        termFrom: '2026-01-01',
        termTo: addDays(T, 400),
        royaltyRateBp: 350,
        fixedFeeFen: 10_000,
        exclusive: false,
      });
    });
    const report = (body: Record<string, unknown>, who = 'm-lic', id = lic.id) => f.request('POST', `${API}/licenses/${id}/royalty-reports`, key[who], body);

    it('royalty due = floor(sales × rate / 10000) + fixed fee, split among co-owners by share with largest remainder', async () => {
      const r = created(await report({ periodFrom: '2026-01-01', periodTo: '2026-03-31', salesFen: 1_234_567 }));
      // floor(1 234 567 × 350 / 10000) = 43 209; + 10 000 = 53 209. Exact parts 21 283.6 / 18 623.15 / 13 302.25 → the spare fen to Liangdang.
      expect(r).to.include({ royaltyDueFen: 53_209, salesFen: 1_234_567, royaltyRateBp: 350, fixedFeeFen: 10_000, date: T });
      expect(r.parts).to.deep.equal([
        { county: LIANGDANG, shareBp: 4000, amountFen: 21_284 },
        { county: HUIXIAN, shareBp: 3500, amountFen: 18_623 },
        { county: FENGXIAN, shareBp: 2500, amountFen: 13_302 },
      ]);
      const r2 = created(await report({ periodFrom: '2026-04-01', periodTo: '2026-06-30', salesFen: 0 }));
      expect(r2.royaltyDueFen).to.equal(10_000);
      expect(r2.parts.map((p: any) => p.amountFen)).to.deep.equal([4000, 3500, 2500]);
      const list = okJson(await f.request('GET', `${API}/licenses/${lic.id}/royalty-reports`, key['reg-f']));
      expect(list.items.map((x: any) => x.periodFrom)).to.deep.equal(['2026-01-01', '2026-04-01']);
      const st = okJson(await f.request('GET', `${API}/royalty-statements?county=${HUIXIAN}&from=${addDays(T, -3)}&to=${T}`, key['reg-h']));
      // Statement amounts are exact totals, decimal strings of fen.
      expect(st).to.include({ county: HUIXIAN, amountFen: String(18_623 + 3500), reports: 2 });
      expect(st.days).to.deep.equal([{ date: T, amountFen: '22123', reports: 2 }]);
      const all = await Promise.all(
        [LIANGDANG, HUIXIAN, FENGXIAN].map(async (c) =>
          BigInt(okJson(await f.request('GET', `${API}/royalty-statements?county=${c}&from=${T}&to=${T}`, key['reg-h'])).amountFen as string),
        ),
      );
      expect(all.reduce((a, b) => a + b, 0n)).to.equal(BigInt(53_209 + 10_000));
    });

    it('refuses periods out of sequence, not yet ended or past the term (422), other callers (403), bad amounts (400)', async () => {
      await expectRefusedHttp(
        w,
        422,
        'RULE_VIOLATION',
        () => report({ periodFrom: '2026-07-02', periodTo: '2026-09-30', salesFen: 5 }),
        /starts on 2026-07-01/,
      );
      await expectRefusedHttp(
        w,
        422,
        'RULE_VIOLATION',
        () => report({ periodFrom: '2026-04-01', periodTo: '2026-06-30', salesFen: 5 }),
        /starts on 2026-07-01/,
      );
      await expectRefusedHttp(w, 422, 'RULE_VIOLATION', () => report({ periodFrom: '2026-07-01', periodTo: T, salesFen: 5 }), /must have ended/);
      await expectRefusedHttp(w, 403, 'FORBIDDEN', () => report({ periodFrom: '2026-07-01', periodTo: '2026-09-30', salesFen: 5 }, 'm-other'));
      await expectRefusedHttp(w, 403, 'FORBIDDEN', () => report({ periodFrom: '2026-07-01', periodTo: '2026-09-30', salesFen: 5 }, 'reg-l'));
      for (const bad of [
        { periodFrom: '2026-07-01', periodTo: '2026-09-30', salesFen: -5 },
        { periodFrom: '2026-07-01', periodTo: '2026-09-30', salesFen: 5.5 },
        { periodFrom: '2026-07-01', periodTo: '2026-06-30', salesFen: 5 },
        { periodFrom: '2026-07-01', periodTo: '2027-07-02', salesFen: 5 },
        { periodFrom: '2026-07-01', periodTo: '2026-09-30' },
      ]) {
        await expectRefusedHttp(w, 400, 'INVALID_ARGUMENT', () => report(bad));
      }
      const requested = created(await request(ipId, { territory: [FENGXIAN], termFrom: '2026-01-01', exclusive: false }));
      await expectRefusedHttp(
        w,
        409,
        'CONFLICT',
        () => report({ periodFrom: '2026-01-01', periodTo: '2026-03-31', salesFen: 5 }, 'm-lic', requested.id),
        /not effective/,
      );
      const short = await effective(ipId, { territory: [FENGXIAN], termFrom: '2026-01-01', termTo: T, exclusive: false });
      await expectRefusedHttp(w, 422, 'RULE_VIOLATION', () => report({ periodFrom: '2026-01-01', periodTo: addDays(T, 1), salesFen: 5 }, 'm-lic', short.id));
      await expectRefusedHttp(w, 400, 'INVALID_ARGUMENT', () =>
        f.request('GET', `${API}/royalty-statements?county=${HUIXIAN}&from=${T}&to=${addDays(T, -1)}`, key['reg-h']),
      );
    });

    it('expiry by term needs no transaction: the day after its term a license is expired and lists nothing', async () => {
      const l = await effective(ipId, { territory: [LIANGDANG], termFrom: T, termTo: addDays(T, 1), exclusive: false });
      const height = await f.ledger.ledger.height();
      clock.advanceDays(2);
      const view = okJson(await f.request('GET', `${API}/licenses/${l.id}`, key['m-lic']));
      expect(view).to.include({ status: 'effective', stateToday: 'expired' });
      expect(await f.ledger.ledger.height()).to.equal(height);
      await expectRefusedHttp(
        w,
        422,
        'RULE_VIOLATION',
        () =>
          f.request('POST', `${API}/assets`, key['m-lic'], {
            ownerSubjectId: licensee,
            kind: 'ip-derivative',
            title: 'x',
            category: 'paper-cut',
            costFen: 1,
            priceFen: 2,
            licenseRef: l.id,
          }),
        /not active.*expired/,
      );
      // The last period may still be reported once it is over.
      expect(created(await report({ periodFrom: T, periodTo: addDays(T, 1), salesFen: 10_000 }, 'm-lic', l.id)).royaltyDueFen).to.equal(350 + 10_000);
    });
  });
});
