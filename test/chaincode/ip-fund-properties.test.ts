import { tx } from '../../chaincode/src/catalogue';
import { expect } from 'chai';
import fc from 'fast-check';
import { allocate } from '../../chaincode/src/fund/allocation';
import { taxOf } from '../../chaincode/src/tax/trade-tax';
import { licensesConflict, royaltyDue, splitRoyalty } from '../../chaincode/src/ip/licensing';
import { registerIpInput } from '../../chaincode/src/ip/schemas';
import { addDays } from '../../chaincode/src/kernel/time';
import { LedgerError } from '../../gateway-api/src/ledger/errors';
import { registerCounties, today } from '../support/fund-world';
import { FENGXIAN, HUIXIAN, LIANGDANG } from '../support/ledger-fixture';
import { registerEnterprise, Who, World } from '../support/market-world';

const COUNTY_IDS = [LIANGDANG, HUIXIAN, FENGXIAN];

/** Basis-point shares summing to exactly 10000, each at least 1. */
const sharesArb = (min: number, max: number) =>
  fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: min, maxLength: max }).map((raw) => {
    const total = raw.reduce((a, b) => a + b, 0);
    // Scale to 10000 with every share ≥ 1: give each 1, spread the rest by floor, remainder to the first.
    const rest = 10000 - raw.length;
    const parts = raw.map((r) => 1 + Math.floor((r * rest) / total));
    parts[0] = (parts[0] as number) + (10000 - parts.reduce((a, b) => a + b, 0));
    return parts;
  });

describe('properties: fund allocation, royalty splits, IP shares, exclusive licenses (fast-check)', function () {
  this.timeout(60_000);

  it('allocation parts sum exactly to the pool, none is negative, an ineligible county gets nothing', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10 ** 12 }),
        sharesArb(1, 4),
        fc.array(
          fc.record({
            eligible: fc.boolean(),
            values: fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 10 ** 12 })), { minLength: 4, maxLength: 4 }),
          }),
          { minLength: 1, maxLength: 10 },
        ),
        (pool, weights, rows) => {
          const metrics = weights.map((weightBp, i) => ({ key: `m${i}`, weightBp }));
          const counties = rows.map((r, i) => ({
            county: `C${i}`,
            eligible: r.eligible,
            values: Object.fromEntries(metrics.map((m, j) => [m.key, r.values[j] as number])),
          }));
          const anything = counties.some((c) => c.eligible && metrics.some((m) => (c.values[m.key] ?? 0) > 0));
          if (!anything) {
            expect(() => allocate(pool, metrics, counties)).to.throw(/nothing to allocate/);
            return;
          }
          const { amountsFen } = allocate(pool, metrics, counties);
          expect(amountsFen).to.have.length(counties.length);
          expect(amountsFen.reduce((a, b) => a + b, 0)).to.equal(pool);
          for (const [i, a] of amountsFen.entries()) {
            expect(Number.isSafeInteger(a) && a >= 0).to.equal(true);
            if (!counties[i]?.eligible) expect(a).to.equal(0);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('allocation takes metric values and totals beyond 2^53 exactly (decimal strings, as rounds store them): never refused for their size', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10 ** 12 }),
        fc.array(fc.bigInt({ min: 0n, max: 10n ** 24n }), { minLength: 2, maxLength: 32 }).filter((v) => v.some((x) => x > 0n)),
        (pool, values) => {
          const counties = values.map((v, i) => ({ county: `C${i}`, eligible: true, values: { 'trade-volume': v.toString() } }));
          const { amountsFen, eligibleTotals } = allocate(pool, [{ key: 'trade-volume', weightBp: 10000 }], counties);
          const total = values.reduce((a, b) => a + b, 0n);
          expect(eligibleTotals['trade-volume']).to.equal(total);
          expect(amountsFen.reduce((a, b) => a + b, 0)).to.equal(pool);
          // Each part is its exact share of the pool, rounded down or up by at most one fen.
          amountsFen.forEach((a, i) => {
            const exact = (BigInt(pool) * (values[i] as bigint)) / total;
            expect(BigInt(a) - exact >= 0n && BigInt(a) - exact <= 1n).to.equal(true);
          });
        },
      ),
      { numRuns: 200 },
    );
  });

  it('royalty splits sum exactly to the royalty due = floor(sales × rate / 10000) + fixed fee; tax splits sum to the tax', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10 ** 13 }),
        fc.integer({ min: 0, max: 10000 }),
        fc.integer({ min: 0, max: 10 ** 9 }),
        sharesArb(1, 8),
        (sales, rate, fee, shares) => {
          const due = royaltyDue(sales, rate, fee);
          expect(due).to.equal(Number((BigInt(sales) * BigInt(rate)) / 10000n) + fee);
          const parts = splitRoyalty(
            due,
            shares.map((shareBp, i) => ({ county: `C${i}`, shareBp })),
          );
          expect(parts.reduce((s, p) => s + p.amountFen, 0)).to.equal(due);
          for (const p of parts) {
            expect(p.amountFen).to.be.at.least(0);
            // Each part is its exact share rounded down or up by at most one fen.
            const exact = (BigInt(due) * BigInt(p.shareBp)) / 10000n;
            expect(BigInt(p.amountFen) - exact >= 0n && BigInt(p.amountFen) - exact <= 1n).to.equal(true);
          }
          const tax = taxOf(sales, { taxRateBp: Math.max(1, rate), originShareBp: shares[0] as number } as never);
          expect(tax.originShareFen + tax.buyerShareFen).to.equal(tax.taxFen);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('share sets not summing to exactly 10000 are refused by the schema (and sets summing to 10000 accepted)', () => {
    const base = { title: 'Paper-cut', kind: 'intangible-heritage', proofEvidenceRefs: ['doc:listing'] };
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 10000 }), { minLength: 1, maxLength: 3 }), (shares) => {
        const owners = shares.map((shareBp, i) => ({ county: COUNTY_IDS[i] as string, shareBp }));
        const ok = registerIpInput.safeParse({ ...base, owners }).success;
        expect(ok).to.equal(shares.reduce((a, b) => a + b, 0) === 10000);
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(sharesArb(1, 3), (shares) => {
        expect(registerIpInput.safeParse({ ...base, owners: shares.map((shareBp, i) => ({ county: COUNTY_IDS[i] as string, shareBp })) }).success).to.equal(
          true,
        );
      }),
      { numRuns: 100 },
    );
  });

  describe('through the embedded ledger', () => {
    let w: World;
    let regL: Who;
    let regH: Who;
    let regF: Who;
    let merchant: Who;
    let licensee: string;
    const regulators = (): Record<string, Who> => ({ [LIANGDANG]: regL, [HUIXIAN]: regH, [FENGXIAN]: regF });

    before(async () => {
      w = await World.open();
      await registerCounties(w);
      regL = await w.member(LIANGDANG, 'reg-l', 'regulator');
      regH = await w.member(HUIXIAN, 'reg-h', 'regulator');
      regF = await w.member(FENGXIAN, 'reg-f', 'regulator');
      merchant = await w.member(LIANGDANG, 'm-licensee', 'merchant');
      licensee = await registerEnterprise(w, regL, LIANGDANG, 'green');
      await w.submit(regL, tx.subjects.bindMerchant, { subjectId: licensee, member: 'm-licensee' });
    });
    after(async () => w.cleanup());

    it('share sets not summing to 10000 are refused by RegisterIp with nothing written', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.integer({ min: 1, max: 10000 }), { minLength: 1, maxLength: 3 }).filter((s) => s.reduce((a, b) => a + b, 0) !== 10000),
          async (shares) => {
            const owners = shares.map((shareBp, i) => ({ county: COUNTY_IDS[i] as string, shareBp }));
            await w.expectRefused(
              'INVALID_ARGUMENT',
              () => w.submit(regL, tx.ip.registerIp, { title: 'Paper-cut', kind: 'intangible-heritage', owners, proofEvidenceRefs: ['doc:listing'] }),
              /10000/,
            );
          },
        ),
        { numRuns: 20 },
      );
    });

    it('no two effective licenses ever conflict (exclusive overlap) and every vote is counted once, whatever order requests, approvals, rejections and withdrawals come in', async () => {
      const day0 = addDays(today(), 1);
      const requestArb = fc.record({
        kind: fc.constant('request' as const),
        territory: fc.subarray(COUNTY_IDS, { minLength: 1 }),
        startOffset: fc.integer({ min: 0, max: 4 }),
        length: fc.integer({ min: 0, max: 4 }),
        exclusive: fc.boolean(),
      });
      const approveArb = fc.record({ kind: fc.constant('approve' as const), license: fc.nat(5), county: fc.constantFrom(...COUNTY_IDS) });
      // Owners' rejections and the licensee's withdrawals, interleaved with the rest.
      const rejectArb = fc.record({ kind: fc.constant('reject' as const), license: fc.nat(5), county: fc.constantFrom(...COUNTY_IDS) });
      const withdrawArb = fc.record({ kind: fc.constant('withdraw' as const), license: fc.nat(5) });
      // A batch of requests made before any approval, then every (license, county) approval in a random
      // order, then more requests and approvals interleaved at random.
      const pairs = [0, 1, 2, 3, 4].flatMap((license) => COUNTY_IDS.map((county) => ({ kind: 'approve' as const, license, county })));
      const commandsArb = fc
        .tuple(
          fc.array(requestArb, { minLength: 2, maxLength: 5 }),
          fc.shuffledSubarray(pairs, { minLength: 6 }),
          fc.array(fc.oneof(requestArb, approveArb, approveArb, rejectArb, withdrawArb), { maxLength: 8 }),
        )
        .map(([first, approvals, rest]) => [...first, ...approvals, ...rest]);
      let effectiveSeen = 0;
      let refusedOnApproval = 0;
      await fc.assert(
        fc.asyncProperty(commandsArb, async (commands) => {
          const ip = await w.submit(regL, tx.ip.registerIp, {
            title: 'Liangdang paper-cut',
            kind: 'intangible-heritage',
            // Liangdang with either other county holds more than half; Huixian and Fengxian together exactly half, not enough.
            owners: [
              { county: LIANGDANG, shareBp: 5000 },
              { county: HUIXIAN, shareBp: 3000 },
              { county: FENGXIAN, shareBp: 2000 },
            ],
            proofEvidenceRefs: ['doc:heritage-listing'],
          });
          // Active once the other two named counties accepted their shares.
          await w.submit(regH, tx.ip.acceptShare, { ipId: ip.id });
          expect((await w.submit(regF, tx.ip.acceptShare, { ipId: ip.id })).status).to.equal('active');
          const licenseIds: string[] = [];
          for (const c of commands) {
            try {
              if (c.kind === 'request') {
                const termFrom = addDays(day0, c.startOffset);
                const l = await w.submit(merchant, tx.ip.requestLicense, {
                  ipId: ip.id,
                  licenseeSubjectId: licensee,
                  categories: ['paper-cut'],
                  territory: c.territory,
                  termFrom,
                  termTo: addDays(termFrom, c.length),
                  exclusive: c.exclusive,
                  royaltyRateBp: 500,
                });
                licenseIds.push(l.id);
              } else if (licenseIds.length > 0) {
                const id = licenseIds[c.license % licenseIds.length] as string;
                if (c.kind === 'approve') await w.submit(regulators()[c.county] as Who, tx.ip.approveLicense, { licenseId: id });
                else if (c.kind === 'reject') await w.submit(regulators()[c.county] as Who, tx.ip.rejectLicense, { licenseId: id, reason: 'no' });
                else await w.submit(merchant, tx.ip.withdrawLicense, { licenseId: id });
              }
            } catch (err) {
              expect(err).to.be.instanceOf(LedgerError);
              if (c.kind === 'approve' && (err as LedgerError).code === 'RULE_VIOLATION') refusedOnApproval++;
              expect(['RULE_VIOLATION', 'CONFLICT'], (err as Error).message).to.include((err as LedgerError).code);
            }
          }
          const all = (await w.evaluate(regL, tx.ip.listLicenses, { ipId: ip.id, limit: 200 })).items as any[];
          const effective = all.filter((l) => l.status === 'effective');
          effectiveSeen += effective.length;
          for (const l of effective) expect(l.approvedShareBp).to.be.above(5000);
          for (const l of all.filter((x) => x.status === 'requested')) {
            expect(l.approvedShareBp).to.be.at.most(5000);
            expect(l.rejectedShareBp).to.be.at.most(5000);
          }
          for (const l of all.filter((x) => x.status === 'rejected')) expect(l.rejectedShareBp).to.be.above(5000);
          for (const l of all) {
            // A county votes once, one way or the other; the shares recorded are the counties' own.
            const voters = [...l.approvals, ...l.rejections].map((v: any) => v.county);
            expect(new Set(voters).size).to.equal(voters.length);
            expect(l.rejections.reduce((s: number, r: any) => s + r.shareBp, 0)).to.equal(l.rejectedShareBp);
            expect(l.approvals.reduce((s: number, a: any) => s + a.shareBp, 0)).to.equal(l.approvedShareBp);
          }
          for (let i = 0; i < effective.length; i++) {
            for (let j = i + 1; j < effective.length; j++) {
              expect(licensesConflict(effective[i], effective[j]), `${JSON.stringify(effective[i])} vs ${JSON.stringify(effective[j])}`).to.equal(false);
            }
          }
        }),
        { numRuns: 25 },
      );
      expect(effectiveSeen, 'the runs made some licenses effective').to.be.above(0);
      if (process.env.SHOW_COUNTS) console.log({ effectiveSeen, refusedOnApproval });
      expect(refusedOnApproval, 'some approvals were refused because another license took effect first').to.be.above(0);
    });
  });
});
