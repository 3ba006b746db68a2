import { Context } from 'fabric-contract-api';
import { actorOf } from '../kernel/actor';
import { canonicalJson } from '../kernel/canonical-json';
import { conflict } from '../kernel/errors';
import { Caller } from '../kernel/identity';
import { putRecord } from '../kernel/state';
import { TxTime, addDays, cstDate, txTime } from '../kernel/time';
import { anchorEvidenceRecord, digestsOf } from '../evidence/anchor';
import { recordOrderFulfilment } from '../credit/credit-file';
import { recordTradeTax } from '../tax/trade-tax';
import { Asset, Assets, Deal, Order, Orders, OwnershipTransfer, OwnershipTransfers, PairOpenOrders, Settlement, Trade, Trades, Verification } from './records';
import { countPairTrade, movePairOpenOrders, recordCategoryPrice } from './risk';
import { recordTradeVolume } from './trade-statistics';

export type SettledOrder = Order & { readonly settlement: Settlement };

/**
 * The asset must still be reserved for the order and owned by its seller, and the order must
 * carry its verification (the deal embeds it). Returns the verification.
 */
export function requireSettleable(order: Order, asset: Asset): Verification {
  if (asset.openOrderId !== order.id || asset.ownerSubjectId !== order.sellerSubjectId) {
    throw conflict(`asset ${asset.id} is no longer reserved for order ${order.id}`);
  }
  if (!order.verification) throw conflict(`order ${order.id} has no verification`);
  return order.verification;
}

/**
 * Settles a verified order in the current transaction, across four domains: the deal is anchored
 * as evidence (market → evidence), the order settles with a T+1 settlement date, ownership moves
 * to the buyer with an ownership-history entry, a trade record is kept with the trade volume
 * (market) and the trade tax (tax), the category's index takes a price entry, the pair counters take the trade
 * (risk rules: one open order less, one settled trade more), and both parties get a fulfilment
 * (credit). Emits nothing: the transaction does. The caller checks the order and the asset
 * first (`requireSettleable`) and has run the risk rules; `pairOpen` is the pair's open-order
 * counter as it read it.
 */
export async function settleOrder(
  ctx: Context,
  previous: Order,
  asset: Asset,
  verification: Verification,
  paymentRef: string,
  merchant: Caller,
  pairOpen: PairOpenOrders | undefined,
): Promise<SettledOrder> {
  const time = txTime(ctx);
  const txId = ctx.stub.getTxID();
  const settlementDate = settlementDateOf(time.epochMs);
  const deal = dealOf(previous, asset, verification, paymentRef, settlementDate, time, txId);
  // The evidence file is the deal's canonical JSON, which the order keeps so anyone can re-create the bytes.
  const dealBytes = Buffer.from(canonicalJson(deal), 'utf8');
  const evidence = await anchorEvidenceRecord(
    ctx,
    {
      ...digestsOf(dealBytes),
      sizeBytes: dealBytes.length,
      mediaType: 'application/json',
      refs: { subjectIds: [deal.sellerSubjectId, deal.buyerSubjectId], orderIds: [deal.orderId] },
      description: `deal of order ${deal.orderId}`,
    },
    merchant,
  );
  const settlement: Settlement = {
    paymentRef,
    balanceFen: deal.balanceFen,
    settlementDate,
    settledBy: actorOf(merchant),
    at: time.iso,
    txId,
    evidenceSha256: evidence.sha256,
    evidenceSm3: evidence.sm3,
    deal,
  };
  const order: SettledOrder = { ...previous, status: 'settled', settlement, updatedAt: time.iso };
  const { openOrderId: _closed, ...assetRest } = asset;
  const transferred: Asset = {
    ...assetRest,
    ownerSubjectId: previous.buyerSubjectId,
    status: 'held',
    transferCount: asset.transferCount + 1,
    updatedAt: time.iso,
  };
  const transfer: OwnershipTransfer = {
    assetId: asset.id,
    seq: transferred.transferCount,
    kind: 'sale',
    fromSubjectId: previous.sellerSubjectId,
    toSubjectId: previous.buyerSubjectId,
    orderId: previous.id,
    priceFen: previous.priceFen,
    crossRegion: previous.crossRegion,
    settlementDate,
    evidenceSha256: evidence.sha256,
    at: time.iso,
    txId,
  };
  const trade = tradeOf(previous, asset, time);
  await putRecord(ctx, Orders, order, previous);
  await putRecord(ctx, Assets, transferred, asset);
  await putRecord(ctx, OwnershipTransfers, transfer);
  await putRecord(ctx, Trades, trade);
  await recordTradeVolume(ctx, trade);
  await recordTradeTax(ctx, trade);
  await recordCategoryPrice(ctx, asset.category, previous.priceFen, previous.id, time);
  await countPairTrade(ctx, previous.buyerSubjectId, previous.sellerSubjectId, time.epochMs);
  await movePairOpenOrders(ctx, previous.buyerSubjectId, previous.sellerSubjectId, pairOpen, -1);
  await recordOrderFulfilment(ctx, order, merchant);
  return order;
}

/** T+1: the CST calendar day after the day of the settling transaction. */
export function settlementDateOf(epochMs: number): string {
  return addDays(cstDate(epochMs), 1);
}

/** The deal as anchored: everything agreed, from the order to the balance payment. */
export function dealOf(order: Order, asset: Asset, verification: Verification, paymentRef: string, settlementDate: string, time: TxTime, txId: string): Deal {
  return {
    type: 'county-ledger/deal',
    version: 1,
    orderId: order.id,
    assetId: asset.id,
    assetKind: asset.kind,
    category: asset.category,
    title: asset.title,
    sellerSubjectId: order.sellerSubjectId,
    buyerSubjectId: order.buyerSubjectId,
    sellerCounty: order.sellerCounty,
    buyerCounty: order.buyerCounty,
    originCounty: order.originCounty,
    crossRegion: order.crossRegion,
    priceFen: order.priceFen,
    depositFen: order.depositFen,
    balanceFen: order.priceFen - order.depositFen,
    depositPaymentRef: order.depositPaymentRef,
    paymentRef,
    orderedAt: order.orderedAt,
    verification,
    settledAt: time.iso,
    settlementDate,
    settleTxId: txId,
  };
}

/** The trade record of a settlement, dated the CST day of the settling transaction (statistics and tax). */
export function tradeOf(order: Order, asset: Asset, time: TxTime): Trade {
  return {
    date: cstDate(time.epochMs),
    orderId: order.id,
    assetId: asset.id,
    assetKind: asset.kind,
    category: asset.category,
    originCounty: order.originCounty,
    sellerCounty: order.sellerCounty,
    buyerCounty: order.buyerCounty,
    crossRegion: order.crossRegion,
    priceFen: order.priceFen,
    settledAt: time.iso,
  };
}
