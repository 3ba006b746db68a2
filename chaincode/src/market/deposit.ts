import { ruleViolation } from '../kernel/errors';
import { FaultParty, Order } from './records';

/** Deposit cap (civil code): at most 20% of the price. */
export const MAX_DEPOSIT_BP = 2000;

/** 0 < deposit ≤ 20% of the price, in integers: deposit × 10000 ≤ price × 2000. */
export function requireDepositRule(depositFen: number, priceFen: number): void {
  if (depositFen <= 0) throw ruleViolation('the deposit must be more than zero');
  if (BigInt(depositFen) * 10000n > BigInt(priceFen) * BigInt(MAX_DEPOSIT_BP)) {
    throw ruleViolation(`the deposit may be at most 20% of the price: ${depositFen} fen asked on a price of ${priceFen} fen`);
  }
}

export type OrderSide = 'buyer' | 'seller';

/**
 * Who is at fault when a party cancels: a counterparty that may not trade (red, blacklisted),
 * else the party past its deadline (the seller for verification, the buyer for the balance),
 * else the party cancelling. `today` is the CST day of the cancelling transaction.
 */
export function faultOnCancellation(
  order: Pick<Order, 'status' | 'verifyBy' | 'payBy'>,
  canceller: OrderSide,
  counterpartyBarred: boolean,
  today: string,
): OrderSide {
  if (counterpartyBarred) return canceller === 'buyer' ? 'seller' : 'buyer';
  if (order.status === 'ordered' && today > order.verifyBy) return 'seller';
  if (order.status === 'verified' && order.payBy !== undefined && today > order.payBy) return 'buyer';
  return canceller;
}

export interface DepositOutcome {
  /** What the buyer gets back. */
  readonly refundToBuyerFen: number;
  /** What the seller keeps. */
  readonly forfeitedToSellerFen: number;
}

/** Deposit rule: seller at fault → twice the deposit back; buyer at fault → forfeited; no fault → returned. */
export function depositOutcome(depositFen: number, faultParty: FaultParty): DepositOutcome {
  return {
    refundToBuyerFen: faultParty === 'seller' ? depositFen * 2 : faultParty === 'none' ? depositFen : 0,
    forfeitedToSellerFen: faultParty === 'buyer' ? depositFen : 0,
  };
}
