import { expect } from 'chai';
import fc from 'fast-check';
import { ChaincodeError } from '../../chaincode/src/kernel/errors';
import {
  addFen,
  applyBasisPoints,
  assertBasisPoints,
  assertFen,
  fenBig,
  fenTotal,
  largestRemainderSplit,
  MAX_AMOUNT_FEN,
  mulDiv,
} from '../../chaincode/src/kernel/money';
import { fenSchema, fenTotalSchema, positiveFenSchema } from '../../chaincode/src/kernel/schemas';
import { thrownBy } from '../support/expect-error';

function expectInvalid(fn: () => unknown): void {
  const err = thrownBy(fn);
  expect(err).to.be.instanceOf(ChaincodeError);
  expect((err as ChaincodeError).code).to.equal('INVALID_ARGUMENT');
}

const floorDiv = (a: bigint, b: bigint): bigint => {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
};

describe('kernel: money', () => {
  describe('largestRemainderSplit', () => {
    it('splits by the largest remainders, ties to the earlier entry', () => {
      expect(largestRemainderSplit(100, [1, 1, 1])).to.deep.equal([34, 33, 33]);
      expect(largestRemainderSplit(10, [3333, 3333, 3334])).to.deep.equal([3, 3, 4]);
      expect(largestRemainderSplit(7, [5000, 5000])).to.deep.equal([4, 3]);
      expect(largestRemainderSplit(0, [1, 2])).to.deep.equal([0, 0]);
      expect(largestRemainderSplit(5, [0, 1, 0])).to.deep.equal([0, 5, 0]);
      expect(largestRemainderSplit(Number.MAX_SAFE_INTEGER, [1, 1])).to.deep.equal([4503599627370496, 4503599627370495]);
    });

    it('parts always add up exactly to the total, each within one fen of its exact share (property)', () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
          fc.array(fc.integer({ min: 0, max: 1_000_000_000 }), { minLength: 1, maxLength: 30 }).filter((w) => w.some((x) => x > 0)),
          (total, weights) => {
            const parts = largestRemainderSplit(total, weights);
            expect(parts).to.have.length(weights.length);
            expect(parts.reduce((a, b) => a + BigInt(b), 0n)).to.equal(BigInt(total));
            const sum = weights.reduce((a, b) => a + BigInt(b), 0n);
            parts.forEach((p, i) => {
              expect(Number.isSafeInteger(p)).to.equal(true);
              const floor = (BigInt(total) * BigInt(weights[i] as number)) / sum;
              expect(BigInt(p) - floor).to.be.oneOf([0n, 1n]);
              if (weights[i] === 0) expect(p).to.equal(0);
            });
          },
        ),
        { numRuns: 500 },
      );
    });

    it('never gives a larger weight fewer fen than a smaller one, and is deterministic (property)', () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 0, max: 10_000_000 }),
          fc.array(fc.integer({ min: 1, max: 10_000 }), { minLength: 1, maxLength: 12 }),
          (total, weights) => {
            const parts = largestRemainderSplit(total, weights);
            expect(largestRemainderSplit(total, weights)).to.deep.equal(parts);
            for (let i = 0; i < weights.length; i++) {
              for (let j = 0; j < weights.length; j++) {
                if ((weights[i] as number) > (weights[j] as number)) expect(parts[i]).to.be.at.least(parts[j] as number);
              }
            }
          },
        ),
        { numRuns: 300 },
      );
    });

    it('refuses bad totals and weights', () => {
      expectInvalid(() => largestRemainderSplit(-1, [1]));
      expectInvalid(() => largestRemainderSplit(1.5, [1]));
      expectInvalid(() => largestRemainderSplit(10, []));
      expectInvalid(() => largestRemainderSplit(10, [0, 0]));
      expectInvalid(() => largestRemainderSplit(10, [1, -1]));
      expectInvalid(() => largestRemainderSplit(10, [0.5, 1]));
      expectInvalid(() => largestRemainderSplit(Number.MAX_SAFE_INTEGER + 2, [1]));
    });
  });

  describe('mulDiv and applyBasisPoints', () => {
    it('floors amount × numerator / denominator exactly, beyond the range of doubles', () => {
      expect(mulDiv(10, 1, 3)).to.equal(3);
      expect(mulDiv(20, 1, 3)).to.equal(6);
      expect(mulDiv(Number.MAX_SAFE_INTEGER, 9999, 10000)).to.equal(9006298534815516);
      expect(mulDiv(0, 5, 7)).to.equal(0);
      expect(applyBasisPoints(12345, 2000)).to.equal(2469);
      expect(applyBasisPoints(99, 10000)).to.equal(99);
      expect(applyBasisPoints(99, 1)).to.equal(0);
      expect(applyBasisPoints(1_000_000, 13000)).to.equal(1_300_000);
    });

    it('equals the exact floor for any safe integers (property)', () => {
      fc.assert(
        fc.property(
          fc.integer({ min: -10_000_000_000, max: 10_000_000_000 }),
          fc.integer({ min: -100_000, max: 100_000 }),
          fc.integer({ min: 1, max: 1_000_000 }),
          (amount, numerator, denominator) => {
            expect(mulDiv(amount, numerator, denominator)).to.equal(Number(floorDiv(BigInt(amount) * BigInt(numerator), BigInt(denominator))));
          },
        ),
        { numRuns: 500 },
      );
    });

    it('refuses a non-positive denominator, fractional inputs and results beyond safe integers', () => {
      expectInvalid(() => mulDiv(10, 1, 0));
      expectInvalid(() => mulDiv(10, 1, -2));
      expectInvalid(() => mulDiv(10.5, 1, 2));
      expectInvalid(() => mulDiv(10, 0.5, 2));
      expectInvalid(() => mulDiv(Number.MAX_SAFE_INTEGER, 2, 1));
    });
  });

  describe('assertFen and assertBasisPoints', () => {
    it('accepts whole non-negative fen and basis points in [0, 10000]', () => {
      expect(assertFen(0, 'x')).to.equal(0);
      expect(assertFen(Number.MAX_SAFE_INTEGER, 'x')).to.equal(Number.MAX_SAFE_INTEGER);
      expect(assertBasisPoints(10000, 'r')).to.equal(10000);
      expect(assertBasisPoints(0, 'r')).to.equal(0);
    });

    it('refuses fractions, negatives and out-of-range ratios, naming the field', () => {
      for (const bad of [-1, 0.5, Number.NaN, Infinity, Number.MAX_SAFE_INTEGER + 1]) expectInvalid(() => assertFen(bad, 'price'));
      for (const bad of [-1, 10001, 12.5]) expectInvalid(() => assertBasisPoints(bad, 'rate'));
      expect((thrownBy(() => assertFen(-1, 'price')) as Error).message).to.match(/price/);
    });
  });

  describe('totals (FenTotal): exact decimal strings that never overflow', () => {
    it('adds past 2^53 exactly, reads a total an earlier version stored as a number, and a missing one as 0', () => {
      expect(addFen(undefined)).to.equal('0');
      expect(addFen(String(Number.MAX_SAFE_INTEGER), 1, 2n, '3')).to.equal('9007199254740997');
      expect(addFen(Number.MAX_SAFE_INTEGER, MAX_AMOUNT_FEN)).to.equal((BigInt(Number.MAX_SAFE_INTEGER) + BigInt(MAX_AMOUNT_FEN)).toString());
      expect(fenBig('123456789012345678901234567890')).to.equal(123456789012345678901234567890n);
      expect(fenTotal(0n)).to.equal('0');
      fc.assert(
        fc.property(fc.array(fc.integer({ min: 0, max: MAX_AMOUNT_FEN }), { maxLength: 50 }), fc.bigInt({ min: 0n, max: 10n ** 30n }), (amounts, start) => {
          const total = amounts.reduce<string>((t, a) => addFen(t, a), start.toString());
          expect(BigInt(total)).to.equal(amounts.reduce((s, a) => s + BigInt(a), start));
          expect(fenTotalSchema.safeParse(total).success).to.equal(true);
        }),
        { numRuns: 200 },
      );
    });

    it('refuses what is not a total: fractions, signs, leading zeros, negative results', () => {
      for (const bad of ['1.5', '-1', '01', '', '1e3', ' 1']) {
        expect(() => fenBig(bad), bad).to.throw(/not a decimal number/);
        expect(fenTotalSchema.safeParse(bad).success, bad).to.equal(false);
      }
      expect(() => fenBig(0.5)).to.throw(/not an integer/);
      expect(() => fenTotal(-1n)).to.throw(/negative/);
    });
  });

  describe('MAX_AMOUNT_FEN: the upper bound of every amount', () => {
    it('is 10^12 fen (¥10 billion); the fen schemas take it and refuse one more with a message that names the bound', () => {
      expect(MAX_AMOUNT_FEN).to.equal(10 ** 12);
      expect(fenSchema.safeParse(MAX_AMOUNT_FEN).success).to.equal(true);
      expect(positiveFenSchema.safeParse(MAX_AMOUNT_FEN).success).to.equal(true);
      for (const schema of [fenSchema, positiveFenSchema]) {
        const over = schema.safeParse(MAX_AMOUNT_FEN + 1);
        expect(over.success).to.equal(false);
        expect(over.error?.issues[0]?.message).to.equal('must be at most 1000000000000 fen (¥10 billion, the upper bound of every amount)');
      }
      // Sums of two bounded amounts and a double deposit stay exact safe integers.
      expect(Number.isSafeInteger(2 * MAX_AMOUNT_FEN + MAX_AMOUNT_FEN)).to.equal(true);
    });
  });
});
