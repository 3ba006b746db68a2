import { expect } from 'chai';
import fc from 'fast-check';
import { ChaincodeError } from '../../chaincode/src/kernel/errors';
import { MAX_DEPOSIT_BP, depositOutcome, faultOnCancellation, requireDepositRule } from '../../chaincode/src/market/deposit';
import { thrownBy } from '../support/expect-error';

function refusal(fn: () => unknown): ChaincodeError {
  const err = thrownBy(fn);
  expect(err).to.be.instanceOf(ChaincodeError);
  return err as ChaincodeError;
}

describe('market: deposit rules (定金)', () => {
  describe('requireDepositRule: 0 < deposit ≤ 20% of the price', () => {
    it('accepts exactly 20% and one fen, refuses zero, negatives and one fen over (RULE_VIOLATION)', () => {
      expect(MAX_DEPOSIT_BP).to.equal(2000);
      requireDepositRule(20_000, 100_000);
      requireDepositRule(1, 5);
      expect(refusal(() => requireDepositRule(0, 100_000))).to.include({ code: 'RULE_VIOLATION', detail: 'the deposit must be more than zero' });
      expect(refusal(() => requireDepositRule(-1, 100_000)).code).to.equal('RULE_VIOLATION');
      const over = refusal(() => requireDepositRule(20_001, 100_000));
      expect(over.code).to.equal('RULE_VIOLATION');
      expect(over.detail).to.equal('the deposit may be at most 20% of the price: 20001 fen asked on a price of 100000 fen');
      expect(refusal(() => requireDepositRule(1, 4)).code).to.equal('RULE_VIOLATION');
    });

    it('is exact in integers for any safe amounts: allowed iff deposit × 10000 ≤ price × 2000 (property)', () => {
      fc.assert(
        fc.property(fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (deposit, price) => {
          const allowed = BigInt(deposit) * 5n <= BigInt(price);
          if (allowed) requireDepositRule(deposit, price);
          else expect(refusal(() => requireDepositRule(deposit, price)).code).to.equal('RULE_VIOLATION');
        }),
        { numRuns: 500 },
      );
    });
  });

  describe('faultOnCancellation', () => {
    const ordered = { status: 'ordered' as const, verifyBy: '2025-03-08' };
    const verified = { status: 'verified' as const, verifyBy: '2025-03-08', payBy: '2025-03-11' };

    it('in time, the party cancelling is at fault', () => {
      expect(faultOnCancellation(ordered, 'buyer', false, '2025-03-08')).to.equal('buyer');
      expect(faultOnCancellation(ordered, 'seller', false, '2025-03-08')).to.equal('seller');
      expect(faultOnCancellation(verified, 'buyer', false, '2025-03-11')).to.equal('buyer');
      expect(faultOnCancellation(verified, 'seller', false, '2025-03-11')).to.equal('seller');
    });

    it('after a deadline, the party that missed it is at fault whoever cancels: the seller for verification, the buyer for the balance', () => {
      expect(faultOnCancellation(ordered, 'buyer', false, '2025-03-09')).to.equal('seller');
      expect(faultOnCancellation(ordered, 'seller', false, '2025-03-09')).to.equal('seller');
      expect(faultOnCancellation(verified, 'seller', false, '2025-03-12')).to.equal('buyer');
      expect(faultOnCancellation(verified, 'buyer', false, '2025-03-12')).to.equal('buyer');
      // A verified order is past no verification deadline, and an order without payBy is past no balance deadline.
      expect(faultOnCancellation({ status: 'verified', verifyBy: '2025-03-08' }, 'seller', false, '2025-04-01')).to.equal('seller');
    });

    it('a counterparty that may not trade is at fault before any deadline', () => {
      expect(faultOnCancellation(ordered, 'seller', true, '2025-03-09')).to.equal('buyer');
      expect(faultOnCancellation(ordered, 'buyer', true, '2025-03-01')).to.equal('seller');
      expect(faultOnCancellation(verified, 'buyer', true, '2025-03-12')).to.equal('seller');
    });
  });

  describe('depositOutcome', () => {
    it('seller at fault: twice the deposit back; buyer at fault: forfeited to the seller; no fault: returned', () => {
      expect(depositOutcome(10_000, 'seller')).to.deep.equal({ refundToBuyerFen: 20_000, forfeitedToSellerFen: 0 });
      expect(depositOutcome(10_000, 'buyer')).to.deep.equal({ refundToBuyerFen: 0, forfeitedToSellerFen: 10_000 });
      expect(depositOutcome(10_000, 'none')).to.deep.equal({ refundToBuyerFen: 10_000, forfeitedToSellerFen: 0 });
    });
  });
});
