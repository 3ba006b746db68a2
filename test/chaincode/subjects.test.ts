import { tx } from '../../chaincode/src/catalogue';
import { expect } from 'chai';
import { SubjectsEvents } from '../../chaincode/src/subjects/subjects-contract';
import { FENGXIAN, HUIXIAN, LIANGDANG } from '../support/ledger-fixture';
import { corruptCreditCode, creditCode, ensureCounties, hex64, useClock, Who, World } from '../support/market-world';
import { prefectureOf, registersDivision } from '../../chaincode/src/subjects/home-county';

describe('chaincode: subjects and market access (市场准入)', () => {
  let w: World;
  let regA: Who;
  let regB: Who;
  let merchantA: Who;
  let adminA: Who;
  let nobody: Who;
  const codeA = creditCode('621228', 42);

  beforeEach(async () => {
    w = await World.open();
    regA = await w.member(LIANGDANG, 'reg-a', 'regulator');
    regB = await w.member(HUIXIAN, 'reg-b', 'regulator');
    merchantA = await w.member(LIANGDANG, 'm-a', 'merchant');
    adminA = await w.admin(LIANGDANG);
    nobody = await w.id(FENGXIAN, 'reader');
    // Liangdang (621228) and Huixian (621227) are registered counties; Fengxian is left unregistered
    // so a test can register it with the division it needs (a prefecture, another province).
    await ensureCounties(w, [LIANGDANG, HUIXIAN]);
  });
  afterEach(async () => w.cleanup());

  describe('home county: an enterprise is registered by the county of its code’s division or of that division’s prefecture', () => {
    let regC: Who;
    const registerFengxianAs = async (division: string) =>
      w.submit(await w.admin(FENGXIAN), tx.counties.register, { name: `Fengxian as ${division}`, division });

    beforeEach(async () => {
      regC = await w.member(FENGXIAN, 'reg-c', 'regulator');
    });

    it('the rule itself: same division, or the prefecture (first four digits and 00) of the code’s division', () => {
      expect(prefectureOf('621228')).to.equal('621200');
      expect(prefectureOf('610330')).to.equal('610300');
      expect(registersDivision('621228', '621228')).to.equal(true);
      expect(registersDivision('621200', '621228')).to.equal(true);
      expect(registersDivision('621200', '621227')).to.equal(true);
      expect(registersDivision('621200', '621200')).to.equal(true);
      expect(registersDivision('621227', '621228')).to.equal(false);
      expect(registersDivision('621228', '621200')).to.equal(false);
      expect(registersDivision('610300', '621228')).to.equal(false);
      expect(registersDivision('620000', '621228')).to.equal(false);
    });

    it('another county’s regulator is refused (FORBIDDEN, nothing written), so the home county’s own registration is never a 409', async () => {
      await w.expectRefused('FORBIDDEN', () => w.submit(regB, tx.subjects.registerEnterprise, { creditCode: codeA, name: 'taken first' }), /division 621228/);
      expect((await w.submit(regA, tx.subjects.registerEnterprise, { creditCode: codeA })).county).to.equal(LIANGDANG);
    });

    it('the prefecture registers the enterprises of its counties and its own division, and nothing of another prefecture; the county then gets CONFLICT', async () => {
      await registerFengxianAs('621200');
      const huixianCode = creditCode('621227', 43);
      const prefectureCode = creditCode('621200', 44);
      expect((await w.submit(regC, tx.subjects.registerEnterprise, { creditCode: huixianCode })).county).to.equal(FENGXIAN);
      expect((await w.submit(regC, tx.subjects.registerEnterprise, { creditCode: prefectureCode })).division).to.equal('621200');
      await w.expectRefused('FORBIDDEN', () => w.submit(regC, tx.subjects.registerEnterprise, { creditCode: creditCode('610330', 45) }));
      await w.expectRefused('FORBIDDEN', () => w.submit(regA, tx.subjects.registerEnterprise, { creditCode: prefectureCode }));
      await w.expectRefused('CONFLICT', () => w.submit(regB, tx.subjects.registerEnterprise, { creditCode: huixianCode }), FENGXIAN);
    });

    it('a county that has not registered itself registers no enterprise (its division is not known); individuals need no division', async () => {
      await w.expectRefused('FORBIDDEN', () => w.submit(regC, tx.subjects.registerEnterprise, { creditCode: creditCode('610330', 46) }), /not registered/);
      const individual = await w.submit(
        regC,
        tx.subjects.registerIndividual,
        { idHash: hex64('fengxian resident') },
        { idNumber: '61033019900101123X', name: '李四' },
      );
      expect(individual).to.include({ kind: 'individual', county: FENGXIAN });
      await registerFengxianAs('610330');
      expect((await w.submit(regC, tx.subjects.registerEnterprise, { creditCode: creditCode('610330', 46) })).county).to.equal(FENGXIAN);
    });

    it('a division names one county: a second county claiming it is refused (CONFLICT, nothing written)', async () => {
      await w.expectRefused('CONFLICT', () => registerFengxianAs('621228'), /already registered by LiangdangMSP/);
    });
  });

  describe('enterprises', () => {
    it('are registered by a regulator under their credit code, in the regulator’s county, with access pending', async () => {
      const r = await w.submitTx(regA, tx.subjects.registerEnterprise, { creditCode: codeA, name: 'Liangdang Honey Co-op' });
      expect(r.result).to.include({
        id: codeA,
        kind: 'enterprise',
        county: LIANGDANG,
        creditCode: codeA,
        division: '621228',
        access: 'pending',
        registeredBy: 'reg-a',
        registerTxId: r.txId,
      });
      expect(r.event).to.deep.equal({ name: SubjectsEvents.SubjectRegistered, payload: { subjectId: codeA, kind: 'enterprise', county: LIANGDANG } });
      expect(await w.evaluate(nobody, tx.subjects.getSubject, { subjectId: codeA })).to.deep.equal(r.result);
      const list = await w.evaluate(nobody, tx.subjects.listSubjects, { county: LIANGDANG });
      expect(list.items.map((s: { id: string }) => s.id)).to.deep.equal([codeA]);
    });

    it('accepts the design’s example code 91350100M000100Y43 from the county of its division (350100)', async () => {
      await w.submit(await w.admin(FENGXIAN), tx.counties.register, { name: 'Fuzhou', division: '350100' });
      const regC = await w.member(FENGXIAN, 'reg-c', 'regulator');
      expect((await w.submit(regC, tx.subjects.registerEnterprise, { creditCode: '91350100M000100Y43' })).division).to.equal('350100');
    });

    it('refuses a wrong credit code with INVALID_ARGUMENT (check character, length, alphabet)', async () => {
      for (const bad of [corruptCreditCode(codeA), codeA.slice(0, 17), `${codeA}0`, 'I1350100M000100Y43', codeA.toLowerCase(), 12345]) {
        await w.expectRefused('INVALID_ARGUMENT', () => w.submit(regA, tx.subjects.registerEnterprise, { creditCode: bad }));
      }
      await w.expectRefused(
        'INVALID_ARGUMENT',
        () => w.submit(regA, tx.subjects.registerEnterprise, { creditCode: corruptCreditCode(codeA) }),
        'check character',
      );
    });

    it('refuses malformed JSON, missing fields, unknown fields and oversized names', async () => {
      await w.expectRefused('INVALID_ARGUMENT', () => w.submitRaw(regA, tx.subjects.registerEnterprise, ['{"creditCode":']));
      await w.expectRefused('INVALID_ARGUMENT', () => w.submit(regA, tx.subjects.registerEnterprise, {}));
      await w.expectRefused('INVALID_ARGUMENT', () => w.submit(regA, tx.subjects.registerEnterprise, { creditCode: codeA, county: HUIXIAN }));
      await w.expectRefused('INVALID_ARGUMENT', () => w.submit(regA, tx.subjects.registerEnterprise, { creditCode: codeA, name: 'n'.repeat(201) }));
      await w.expectRefused('INVALID_ARGUMENT', () => w.submitRaw(regA, tx.subjects.registerEnterprise, []));
    });

    it('refuses a second registration of the same code (CONFLICT)', async () => {
      await w.submit(regA, tx.subjects.registerEnterprise, { creditCode: codeA });
      const regA2 = await w.member(LIANGDANG, 'reg-a2', 'regulator');
      await w.expectRefused('CONFLICT', () => w.submit(regA2, tx.subjects.registerEnterprise, { creditCode: codeA }), LIANGDANG);
    });

    it('refuses callers without the regulator role (FORBIDDEN), county admins included', async () => {
      for (const who of [merchantA, adminA, nobody]) {
        await w.expectRefused('FORBIDDEN', () => w.submit(who, tx.subjects.registerEnterprise, { creditCode: codeA }));
      }
    });
  });

  describe('individuals', () => {
    const idHash = hex64('hmac of 62010219900101123X');
    const personal = { idNumber: '62010219900101123X', name: '张三' };
    const id = `ind-${idHash}`;

    it('are registered by the HMAC of their ID number; ID number and name only reach the county’s private collection', async () => {
      const subject = await w.submit(regA, tx.subjects.registerIndividual, { idHash }, personal);
      expect(subject).to.include({ id, kind: 'individual', county: LIANGDANG, idHash, access: 'pending' });
      expect(JSON.stringify(subject)).not.to.contain(personal.idNumber).and.not.to.contain(personal.name);

      // The private collection of the registering county holds the personal data.
      const stored = await w.f.ledger.store.getPrivate(`${LIANGDANG}-private`, `subject/${id}`);
      expect(JSON.parse(stored!.toString('utf8'))).to.include({ subjectId: id, ...personal });
      expect(await w.evaluate(regA, tx.subjects.getPersonalData, { subjectId: id })).to.include(personal);

      // Neither shared state nor any block carries it.
      const state = [...(await w.worldState()).values()].map((hex) => Buffer.from(hex, 'hex').toString('utf8')).join('\n');
      expect(state).to.contain(idHash).and.not.to.contain(personal.idNumber).and.not.to.contain(personal.name);
      for (let n = 0; n < (await w.f.ledger.height()); n++) {
        const block = await w.f.ledger.getBlock(n);
        const decoded = (block?.data ?? []).flatMap((tx) => [
          JSON.stringify(tx.transaction),
          Buffer.from(tx.response.payload, 'base64').toString('utf8'),
          ...tx.rwset.writes.map(([, v]) => (v ? Buffer.from(v, 'base64').toString('utf8') : '')),
          tx.event ? Buffer.from(tx.event.payload, 'base64').toString('utf8') : '',
        ]);
        const text = JSON.stringify(block) + decoded.join('\n');
        expect(text, `block ${n}`).not.to.contain(personal.idNumber);
        expect(text, `block ${n}`).not.to.contain(personal.name);
      }
    });

    it('personal data is read only by a regulator of the subject’s county', async () => {
      await w.submit(regA, tx.subjects.registerIndividual, { idHash }, personal);
      await w.expectRefused('FORBIDDEN', () => w.evaluate(regB, tx.subjects.getPersonalData, { subjectId: id }));
      await w.expectRefused('FORBIDDEN', () => w.evaluate(merchantA, tx.subjects.getPersonalData, { subjectId: id }));
    });

    it('refuses missing or malformed transient data and a malformed HMAC (INVALID_ARGUMENT)', async () => {
      await w.expectRefused('INVALID_ARGUMENT', () => w.submit(regA, tx.subjects.registerIndividual, { idHash }), 'transient');
      await w.expectRefused('INVALID_ARGUMENT', () => w.submit(regA, tx.subjects.registerIndividual, { idHash }, { idNumber: personal.idNumber }));
      await w.expectRefused('INVALID_ARGUMENT', () => w.submit(regA, tx.subjects.registerIndividual, { idHash }, { ...personal, idNumber: '1234' }));
      await w.expectRefused('INVALID_ARGUMENT', () => w.submit(regA, tx.subjects.registerIndividual, { idHash }, { ...personal, name: 'x'.repeat(65) }));
      await w.expectRefused('INVALID_ARGUMENT', () => w.submit(regA, tx.subjects.registerIndividual, { idHash: idHash.toUpperCase() }, personal));
      await w.expectRefused('INVALID_ARGUMENT', () => w.submit(regA, tx.subjects.registerIndividual, { idHash, idNumber: personal.idNumber }, personal));
    });

    it('refuses a second registration (CONFLICT) and a non-regulator (FORBIDDEN)', async () => {
      await w.submit(regA, tx.subjects.registerIndividual, { idHash }, personal);
      await w.expectRefused('CONFLICT', () => w.submit(regB, tx.subjects.registerIndividual, { idHash }, personal));
      await w.expectRefused('FORBIDDEN', () => w.submit(merchantA, tx.subjects.registerIndividual, { idHash: hex64('other') }, personal));
    });
  });

  describe('access status (红橙绿)', () => {
    beforeEach(async () => {
      await w.submit(regA, tx.subjects.registerEnterprise, { creditCode: codeA });
    });

    it('is set green / orange (with a trade limit) / red by the subject’s county regulator, with evidence and an append-only history', async () => {
      const clock = useClock();
      const g = await w.submitTx(regA, tx.subjects.setAccess, {
        subjectId: codeA,
        status: 'green',
        evidenceRefs: ['doc:site-visit-1'],
        reason: 'licence checked',
      });
      expect(g.result).to.include({ access: 'green', accessSetBy: 'reg-a' });
      expect(g.result.accessEvidenceRefs).to.deep.equal(['doc:site-visit-1']);
      expect(g.event).to.deep.equal({
        name: SubjectsEvents.AccessSet,
        payload: { subjectId: codeA, status: 'green', previousStatus: 'pending', county: LIANGDANG },
      });
      // The history is in transaction-time order; decisions within one millisecond would order by transaction ID.
      clock.advanceMs(1);
      const o = await w.submit(regA, tx.subjects.setAccess, {
        subjectId: codeA,
        status: 'orange',
        tradeLimitFen: 500_000,
        evidenceRefs: ['sha256:' + hex64('complaint')],
      });
      expect(o).to.include({ access: 'orange', tradeLimitFen: 500_000 });
      clock.advanceMs(1);
      const r = await w
        .submit(regA, tx.subjects.setAccess, { subjectId: codeA, status: 'red', evidenceRefs: ['doc:penalty-7'] })
        .finally(() => clock.restore());
      expect(r.access).to.equal('red');
      expect(r).not.to.have.property('tradeLimitFen');

      const history = await w.evaluate(nobody, tx.subjects.accessHistory, { subjectId: codeA });
      expect(history.items.map((c: { previousStatus: string; status: string }) => `${c.previousStatus}>${c.status}`)).to.deep.equal([
        'pending>green',
        'green>orange',
        'orange>red',
      ]);
      expect(history.items[1]).to.include({ tradeLimitFen: 500_000, mspId: LIANGDANG, by: 'reg-a' });
      const page = await w.evaluate(nobody, tx.subjects.accessHistory, { subjectId: codeA, limit: 2 });
      expect(page.items).to.have.length(2);
      const rest = await w.evaluate(nobody, tx.subjects.accessHistory, { subjectId: codeA, limit: 2, cursor: page.nextCursor });
      expect(rest.items.map((c: { status: string }) => c.status)).to.deep.equal(['red']);
    });

    it('refuses a regulator of another county (FORBIDDEN, wrong county) and non-regulators', async () => {
      await w.expectRefused('FORBIDDEN', () => w.submit(regB, tx.subjects.setAccess, { subjectId: codeA, status: 'green', evidenceRefs: ['doc:1'] }), HUIXIAN);
      await w.expectRefused('FORBIDDEN', () => w.submit(merchantA, tx.subjects.setAccess, { subjectId: codeA, status: 'green', evidenceRefs: ['doc:1'] }));
    });

    it('segregation of duties: a regulator who acts for the subject (bound to it) may not decide its access (FORBIDDEN, nothing written)', async () => {
      const regA2 = await w.member(LIANGDANG, 'reg-a2', 'regulator');
      await w.submit(regA, tx.subjects.bindMerchant, { subjectId: codeA, member: 'reg-a2' });
      await w.expectRefused(
        'FORBIDDEN',
        () => w.submit(regA2, tx.subjects.setAccess, { subjectId: codeA, status: 'green', evidenceRefs: ['doc:1'] }),
        /acts for subject/,
      );
      await w.submit(regA, tx.subjects.unbindMerchant, { subjectId: codeA, member: 'reg-a2' });
      expect((await w.submit(regA2, tx.subjects.setAccess, { subjectId: codeA, status: 'green', evidenceRefs: ['doc:1'] })).access).to.equal('green');
    });

    it('refuses an unknown subject (NOT_FOUND)', async () => {
      await w.expectRefused('NOT_FOUND', () =>
        w.submit(regA, tx.subjects.setAccess, { subjectId: creditCode('621228', 999), status: 'green', evidenceRefs: ['doc:1'] }),
      );
    });

    it('refuses bad input: orange without limit, limit off orange, no evidence, floats and negatives, unknown status', async () => {
      const base = { subjectId: codeA, evidenceRefs: ['doc:1'] };
      const bad: unknown[] = [
        { ...base, status: 'orange' },
        { ...base, status: 'green', tradeLimitFen: 100 },
        { ...base, status: 'orange', tradeLimitFen: 100.5 },
        { ...base, status: 'orange', tradeLimitFen: -100 },
        { ...base, status: 'orange', tradeLimitFen: 0 },
        { ...base, status: 'orange', tradeLimitFen: 2 ** 60 },
        { ...base, status: 'green', evidenceRefs: [] },
        { ...base, status: 'green', evidenceRefs: ['bad ref with spaces'] },
        { ...base, status: 'green', evidenceRefs: ['x'.repeat(129)] },
        { ...base, status: 'green', evidenceRefs: Array.from({ length: 21 }, (_, i) => `doc:${i}`) },
        { ...base, status: 'blue' },
        { ...base, status: 'green', reason: 'r'.repeat(501) },
        { ...base, subjectId: 'nobody' },
      ];
      for (const input of bad) await w.expectRefused('INVALID_ARGUMENT', () => w.submit(regA, tx.subjects.setAccess, input));
    });
  });

  describe('merchant bindings', () => {
    beforeEach(async () => {
      await w.submit(regA, tx.subjects.registerEnterprise, { creditCode: codeA });
    });

    it('a regulator binds and unbinds members of its own county to a subject of its county', async () => {
      const b = await w.submitTx(regA, tx.subjects.bindMerchant, { subjectId: codeA, member: 'm-a' });
      expect(b.result).to.include({ subjectId: codeA, mspId: LIANGDANG, member: 'm-a', active: true, boundBy: 'reg-a' });
      expect(b.event?.name).to.equal(SubjectsEvents.MerchantBound);
      const list = await w.evaluate(nobody, tx.subjects.listBindings, { mspId: LIANGDANG, member: 'm-a' });
      expect(list.items.map((x: { subjectId: string }) => x.subjectId)).to.deep.equal([codeA]);
      await w.expectRefused('CONFLICT', () => w.submit(regA, tx.subjects.bindMerchant, { subjectId: codeA, member: 'm-a' }));
      const u = await w.submitTx(regA, tx.subjects.unbindMerchant, { subjectId: codeA, member: 'm-a' });
      expect(u.result).to.include({ active: false, unboundBy: 'reg-a' });
      expect(u.event?.name).to.equal(SubjectsEvents.MerchantUnbound);
      expect((await w.evaluate(nobody, tx.subjects.listBindings, { mspId: LIANGDANG, member: 'm-a' })).items).to.deep.equal([]);
      await w.expectRefused('NOT_FOUND', () => w.submit(regA, tx.subjects.unbindMerchant, { subjectId: codeA, member: 'm-a' }));
    });

    it('refuses a regulator of another county (FORBIDDEN), non-regulators, and bad member names', async () => {
      await w.expectRefused('FORBIDDEN', () => w.submit(regB, tx.subjects.bindMerchant, { subjectId: codeA, member: 'm-b' }));
      await w.expectRefused('FORBIDDEN', () => w.submit(merchantA, tx.subjects.bindMerchant, { subjectId: codeA, member: 'm-a' }));
      await w.expectRefused('INVALID_ARGUMENT', () => w.submit(regA, tx.subjects.bindMerchant, { subjectId: codeA, member: 'bad name' }));
      await w.expectRefused('INVALID_ARGUMENT', () => w.submit(regA, tx.subjects.bindMerchant, { subjectId: codeA, member: 'm'.repeat(129) }));
      await w.expectRefused('NOT_FOUND', () => w.submit(regA, tx.subjects.bindMerchant, { subjectId: creditCode('621228', 998), member: 'm-a' }));
    });
  });
});
