import { Context } from 'fabric-contract-api';
import { mustGetRecord, putRecord } from '../kernel/state';
import { txTime } from '../kernel/time';
import { recordOrderDefault } from '../credit/credit-file';
import { depositOutcome } from './deposit';
import { Assets, Cancellation, FaultParty, Order, Orders } from './records';
import { movePairOpenOrders, readPairOpenOrders } from './risk';

export type CancelledOrder = Order & { readonly cancellation: Cancellation };

/** Who cancels, why, and who is at fault (the deposit outcome follows from it). */
export interface CancellationDecision {
  readonly by: Cancellation['by'];
  readonly reason: string;
  readonly faultParty: FaultParty;
}

/**
 * Cancels an order in the current transaction (a failed verification, a party cancelling, a
 * rejected alert): the order keeps the cancellation with its deposit outcome, the asset goes
 * back on sale, the pair's open orders count one less (risk rules), and the party at fault, if
 * any, gets a default in its credit file.
 * `previous` is the order as read; `from` is the order as this step leaves it before
 * cancelling (e.g. with the failed verification), `previous` itself by default.
 */
export async function cancelOrder(ctx: Context, previous: Order, decision: CancellationDecision, from: Order = previous): Promise<CancelledOrder> {
  const at = txTime(ctx).iso;
  const cancellation: Cancellation = {
    by: decision.by,
    reason: decision.reason,
    faultParty: decision.faultParty,
    depositFen: previous.depositFen,
    ...depositOutcome(previous.depositFen, decision.faultParty),
    at,
    txId: ctx.stub.getTxID(),
  };
  const order: CancelledOrder = { ...from, status: 'cancelled', cancellation, updatedAt: at };
  await putRecord(ctx, Orders, order, previous);
  await releaseAsset(ctx, order, at);
  await movePairOpenOrders(ctx, order.buyerSubjectId, order.sellerSubjectId, await readPairOpenOrders(ctx, order.buyerSubjectId, order.sellerSubjectId), -1);
  await recordOrderDefault(ctx, order, decision.faultParty, decision.reason, decision.by);
  return order;
}

/** Puts the asset of a cancelled order back on sale. */
async function releaseAsset(ctx: Context, order: Order, at: string): Promise<void> {
  const asset = await mustGetRecord(ctx, Assets, [order.assetId], 'asset');
  if (asset.openOrderId !== order.id) return;
  const { openOrderId: _released, ...rest } = asset;
  await putRecord(ctx, Assets, { ...rest, status: 'listed', updatedAt: at }, asset);
}
