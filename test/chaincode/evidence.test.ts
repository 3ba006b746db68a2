import { tx } from '../../chaincode/src/catalogue';
import { expect } from 'chai';
import { digestsOf } from '../../chaincode/src/evidence/anchor';
import { EvidenceEvents } from '../../chaincode/src/market/evidence-contract';
import { FENGXIAN, HUIXIAN, LIANGDANG } from '../support/ledger-fixture';
import { hex64, Who, World } from '../support/market-world';

describe('chaincode: evidence (数据存证)', () => {
  let w: World;
  let merchant: Who;
  let enfA: Who;
  let enfB: Who;
  let enfC: Who;
  let nobody: Who;

  const record = (seed: string, extra: Record<string, unknown> = {}) => ({
    sha256: hex64(seed),
    sm3: hex64(`sm3:${seed}`),
    sizeBytes: 1234,
    mediaType: 'application/pdf',
    refs: { subjectIds: ['91350100M000100Y43'], caseIds: ['case-2024-001'], orderIds: ['o-1'] },
    description: 'soil test report',
    ...extra,
  });

  beforeEach(async () => {
    w = await World.open();
    merchant = await w.member(LIANGDANG, 'm-anchor', 'merchant');
    enfA = await w.member(LIANGDANG, 'enf-a', 'enforcement');
    enfB = await w.member(HUIXIAN, 'enf-b', 'enforcement');
    enfC = await w.member(FENGXIAN, 'enf-c', 'enforcement');
    nobody = await w.id(HUIXIAN, 'no-roles');
  });
  afterEach(async () => w.cleanup());

  it('computes SHA-256 and SM3 digests deterministically (SM3 test vector "abc")', () => {
    const d = digestsOf(Buffer.from('abc'));
    expect(d.sha256).to.equal('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(d.sm3).to.equal('66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0');
  });

  it('anchors a record with digests, size, media type, refs, submitter, tx ID and tx time; looks it up by SHA-256', async () => {
    const input = record('file-1');
    const r = await w.submitTx(merchant, tx.evidence.anchor, input);
    expect(r.result).to.include({ sha256: input.sha256, sm3: input.sm3, sizeBytes: 1234, mediaType: 'application/pdf', txId: r.txId });
    expect(r.result.submitter).to.deep.equal({ mspId: LIANGDANG, member: 'm-anchor' });
    expect(r.result.refs).to.deep.equal(input.refs);
    const recorded = await w.f.ledger.getTransaction(r.txId);
    expect(r.result.anchoredAt).to.equal(recorded?.timestamp);
    expect(r.event).to.deep.equal({ name: EvidenceEvents.Anchored, payload: { sha256: input.sha256, mspId: LIANGDANG, member: 'm-anchor' } });
    const got = await w.evaluate(merchant, tx.evidence.get, { sha256: input.sha256 });
    expect(got.record).to.deep.equal(r.result);
    expect(got.recognitions).to.deep.equal([]);
  });

  it('refuses a digest that is already anchored (CONFLICT), whoever submits it', async () => {
    await w.submit(merchant, tx.evidence.anchor, record('dup'));
    await w.expectRefused('CONFLICT', () => w.submit(enfB, tx.evidence.anchor, record('dup', { sm3: hex64('other') })), 'already anchored');
  });

  it('refuses an identity without any role (FORBIDDEN)', async () => {
    await w.expectRefused('FORBIDDEN', () => w.submit(nobody, tx.evidence.anchor, record('x')));
  });

  it('refuses bad input with INVALID_ARGUMENT and writes nothing', async () => {
    const bad: unknown[] = [
      '{not json',
      '[]',
      { ...record('a'), sm3: undefined },
      { ...record('a'), sha256: hex64('a').toUpperCase() },
      { ...record('a'), sha256: hex64('a').slice(1) },
      { ...record('a'), sizeBytes: 0 },
      { ...record('a'), sizeBytes: 1.5 },
      { ...record('a'), sizeBytes: -3 },
      { ...record('a'), sizeBytes: '12' },
      { ...record('a'), mediaType: 'pdf' },
      { ...record('a'), description: 'x'.repeat(501) },
      { ...record('a'), refs: { subjectIds: ['not-a-subject'] } },
      { ...record('a'), refs: { orderIds: Array.from({ length: 21 }, (_, i) => `o-${i}`) } },
      { ...record('a'), extra: true },
    ];
    for (const input of bad) {
      await w.expectRefused('INVALID_ARGUMENT', () => w.submit(merchant, tx.evidence.anchor, input), undefined);
    }
  });

  it('answers NOT_FOUND for an unknown digest', async () => {
    try {
      await w.evaluate(nobody, tx.evidence.get, { sha256: hex64('nothing') });
      expect.fail('expected NOT_FOUND');
    } catch (err) {
      expect((err as { code: string }).code).to.equal('NOT_FOUND');
    }
  });

  describe('recognition (证据互认)', () => {
    let sha: string;
    beforeEach(async () => {
      sha = (await w.submit(merchant, tx.evidence.anchor, record('rec'))).sha256;
    });

    it('is recorded by enforcement of other counties, once per county, and listed with the record', async () => {
      const r = await w.submitTx(enfB, tx.evidence.recognize, { sha256: sha, note: 'accepted in case 12' });
      expect(r.result).to.include({ sha256: sha, mspId: HUIXIAN, member: 'enf-b', txId: r.txId });
      expect(r.event?.name).to.equal(EvidenceEvents.Recognized);
      await w.submit(enfC, tx.evidence.recognize, { sha256: sha });
      const got = await w.evaluate(enfA, tx.evidence.get, { sha256: sha });
      expect(got.recognitions.map((x: { mspId: string }) => x.mspId).sort()).to.deep.equal([FENGXIAN, HUIXIAN].sort());
    });

    it('refuses a second recognition by the same county (CONFLICT)', async () => {
      await w.submit(enfB, tx.evidence.recognize, { sha256: sha });
      const enfB2 = await w.member(HUIXIAN, 'enf-b2', 'enforcement');
      await w.expectRefused('CONFLICT', () => w.submit(enfB2, tx.evidence.recognize, { sha256: sha }));
    });

    it("refuses the submitting county's own enforcement (FORBIDDEN, wrong county)", async () => {
      await w.expectRefused('FORBIDDEN', () => w.submit(enfA, tx.evidence.recognize, { sha256: sha }), 'other counties');
    });

    it('refuses a caller without the enforcement role (FORBIDDEN)', async () => {
      const regB = await w.member(HUIXIAN, 'reg-b', 'regulator');
      await w.expectRefused('FORBIDDEN', () => w.submit(regB, tx.evidence.recognize, { sha256: sha }));
    });

    it('refuses an unknown digest (NOT_FOUND) and bad input (INVALID_ARGUMENT)', async () => {
      await w.expectRefused('NOT_FOUND', () => w.submit(enfB, tx.evidence.recognize, { sha256: hex64('unknown') }));
      await w.expectRefused('INVALID_ARGUMENT', () => w.submit(enfB, tx.evidence.recognize, { sha256: sha, note: 'n'.repeat(501) }));
      await w.expectRefused('INVALID_ARGUMENT', () => w.submit(enfB, tx.evidence.recognize, { digest: sha }));
    });
  });
});
