import { Context, Info, Transaction } from 'fabric-contract-api';
import { actorOf } from '../kernel/actor';
import { canonicalJson } from '../kernel/canonical-json';
import { CountyContract } from '../kernel/contract-base';
import { conflict, forbidden, notFound, ruleViolation } from '../kernel/errors';
import { emit } from '../kernel/events';
import { checkPageSize, getRecord, listByIndex, listRecords, mustGetRecord, putRecord } from '../kernel/state';
import { addDays, cstDate, today, txTime } from '../kernel/time';
import { parseInput } from '../kernel/validate';
import { marketTransactions } from './transactions';
import { requireRole } from '../membership/access';
import { actsFor, refuseActingFor, requireMerchantFor } from '../subjects/binding';
import { maySubjectTrade, requireMayTrade } from '../credit/trade-eligibility';
import { cancelOrder } from './cancellation';
import { faultOnCancellation, requireDepositRule } from './deposit';
import { checkListingRules, onlyForSale, requireForSale, sellerMayNotSell } from './listing-rules';
import { requireMayReadOrder, requireMayReadOrdersOf } from './order-access';
import { requireStatus } from './order-status';
import { loadParameters } from '../parameters/parameters';
import {
  Alert,
  AlertReason,
  Alerts,
  Asset,
  Assets,
  CategoryIndex,
  CategoryMarks,
  Order,
  Orders,
  OwnershipTransfer,
  OwnershipTransfers,
  Trades,
} from './records';
import { INDEX_LAG_MS, categoryIndexAt, movePairOpenOrders, readPairOpenOrders, riskReasons } from './risk';
import { requireSettleable, settleOrder } from './settlement';

export const MarketEvents = {
  AssetRegistered: 'market.AssetRegistered',
  ListingChanged: 'market.ListingChanged',
  OrderPlaced: 'market.OrderPlaced',
  OrderSuspended: 'market.OrderSuspended',
  OrderVerified: 'market.OrderVerified',
  OrderSettled: 'market.OrderSettled',
  OrderCancelled: 'market.OrderCancelled',
  AlertCleared: 'market.AlertCleared',
  AlertRejected: 'market.AlertRejected',
} as const;

/** A red alert suspending `order` (异常交易预警), raised in the current transaction at `stage`. */
function alertOf(id: string, order: Order, reasons: AlertReason[], stage: Alert['stage'], at: string, txId: string): Alert {
  return {
    id,
    orderId: order.id,
    level: 'red',
    stage,
    reasons,
    sellerSubjectId: order.sellerSubjectId,
    buyerSubjectId: order.buyerSubjectId,
    sellerCounty: order.sellerCounty,
    buyerCounty: order.buyerCounty,
    status: 'open',
    raisedAt: at,
    raiseTxId: txId,
  };
}

@Info({ title: 'Market', description: 'Assets, orders and ownership transfer (交易流程 → 确权), risk alerts (异常交易预警)' })
export class MarketContract extends CountyContract {
  constructor() {
    super('Market');
  }

  // ---------------------------------------------------------------- assets

  /** A merchant acting for the owner subject registers and lists an asset; origin county = the owner's county. */
  @Transaction()
  async RegisterAsset(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(marketTransactions.registerAsset.input, inputJson);
    const merchant = await requireMerchantFor(ctx, input.ownerSubjectId);
    const owner = await requireMayTrade(ctx, input.ownerSubjectId, input.priceFen);
    const now = txTime(ctx).iso;
    const txId = ctx.stub.getTxID();
    const asset: Asset = {
      id: `a-${txId.slice(0, 32)}`,
      kind: input.kind,
      title: input.title,
      category: input.category,
      originCounty: owner.county,
      ownerSubjectId: owner.id,
      costFen: input.costFen,
      priceFen: input.priceFen,
      evidenceRefs: [...(input.evidenceRefs ?? [])],
      certifications: (input.certifications ?? []).map((c) => ({ kind: c.kind, sha256: c.sha256 })),
      ...(input.licenseRef !== undefined ? { licenseRef: input.licenseRef } : {}),
      status: 'listed',
      transferCount: 0,
      registeredBy: actorOf(merchant),
      registeredAt: now,
      registerTxId: txId,
      updatedAt: now,
    };
    await checkListingRules(ctx, asset);
    if (await getRecord(ctx, Assets, [asset.id])) throw conflict(`asset ${asset.id} already exists`);
    const registration: OwnershipTransfer = { assetId: asset.id, seq: 0, kind: 'registration', toSubjectId: owner.id, at: now, txId };
    await putRecord(ctx, Assets, asset);
    await putRecord(ctx, OwnershipTransfers, registration);
    emit(ctx, MarketEvents.AssetRegistered, {
      assetId: asset.id,
      kind: asset.kind,
      category: asset.category,
      ownerSubjectId: owner.id,
      originCounty: asset.originCounty,
      priceFen: asset.priceFen,
    });
    return canonicalJson(asset);
  }

  /** A merchant acting for the owner puts a held asset up for sale (optionally at a new price) or takes it off sale. */
  @Transaction()
  async SetListing(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(marketTransactions.setListing.input, inputJson);
    const previous = await mustGetRecord(ctx, Assets, [input.assetId], 'asset');
    await requireMerchantFor(ctx, previous.ownerSubjectId);
    if (previous.status === 'reserved') throw conflict(`asset ${previous.id} has an open order ${previous.openOrderId ?? ''}`.trim());
    if (!input.listed && input.priceFen !== undefined) throw ruleViolation('a price is set only when listing');
    const now = txTime(ctx).iso;
    const asset: Asset = {
      ...previous,
      status: input.listed ? 'listed' : 'held',
      priceFen: input.priceFen ?? previous.priceFen,
      updatedAt: now,
    };
    if (input.listed) {
      await requireMayTrade(ctx, asset.ownerSubjectId, asset.priceFen);
      await checkListingRules(ctx, asset);
    }
    await putRecord(ctx, Assets, asset, previous);
    emit(ctx, MarketEvents.ListingChanged, { assetId: asset.id, status: asset.status, priceFen: asset.priceFen });
    return canonicalJson(asset);
  }

  @Transaction(false)
  async GetAsset(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(marketTransactions.getAsset.input, inputJson);
    return canonicalJson(await mustGetRecord(ctx, Assets, [input.assetId], 'asset'));
  }

  /** Ownership history (确权记录): registration, then one entry per sale, oldest first. */
  @Transaction(false)
  async OwnershipHistory(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(marketTransactions.ownershipHistory.input, inputJson);
    await mustGetRecord(ctx, Assets, [input.assetId], 'asset');
    return canonicalJson(await listRecords(ctx, OwnershipTransfers, [input.assetId], checkPageSize(input.limit), input.cursor));
  }

  @Transaction(false)
  async ListListedAssets(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(marketTransactions.listListedAssets.input, inputJson);
    const page = await listByIndex(ctx, Assets, 'listed', [input.category], checkPageSize(input.limit), input.cursor);
    return canonicalJson({ ...page, items: await onlyForSale(ctx, page.items) });
  }

  @Transaction(false)
  async ListAssetsByOwner(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(marketTransactions.listAssetsByOwner.input, inputJson);
    return canonicalJson(await listByIndex(ctx, Assets, 'byOwner', [input.ownerSubjectId], checkPageSize(input.limit), input.cursor));
  }

  // ---------------------------------------------------------------- orders

  /**
   * A merchant acting for the buyer orders a listed asset at its price with a deposit
   * (0 < deposit ≤ 20%). The risk rules may suspend the order with a red alert.
   */
  @Transaction()
  async PlaceOrder(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(marketTransactions.placeOrder.input, inputJson);
    const merchant = await requireMerchantFor(ctx, input.buyerSubjectId);
    const asset = await mustGetRecord(ctx, Assets, [input.assetId], 'asset');
    if (asset.status !== 'listed') throw conflict(`asset ${asset.id} is not for sale (${asset.status})`);
    if (asset.ownerSubjectId === input.buyerSubjectId) throw ruleViolation('a subject may not buy its own asset');
    await requireForSale(ctx, asset);
    const buyer = await requireMayTrade(ctx, input.buyerSubjectId, asset.priceFen);
    const seller = await requireMayTrade(ctx, asset.ownerSubjectId, asset.priceFen);
    requireDepositRule(input.depositFen, asset.priceFen);

    const time = txTime(ctx);
    const txId = ctx.stub.getTxID();
    const params = await loadParameters(ctx);
    const pairOpen = await readPairOpenOrders(ctx, buyer.id, seller.id);
    const reasons = await riskReasons(
      ctx,
      { category: asset.category, priceFen: asset.priceFen, buyerSubjectId: buyer.id, sellerSubjectId: seller.id },
      params,
      pairOpen,
      time.epochMs,
      'order',
    );
    const orderId = `o-${txId.slice(0, 32)}`;
    const alertId = `al-${txId.slice(0, 32)}`;
    const suspended = reasons.length > 0;
    const order: Order = {
      id: orderId,
      assetId: asset.id,
      category: asset.category,
      sellerSubjectId: seller.id,
      buyerSubjectId: buyer.id,
      sellerCounty: seller.county,
      buyerCounty: buyer.county,
      originCounty: asset.originCounty,
      crossRegion: asset.originCounty !== buyer.county,
      priceFen: asset.priceFen,
      depositFen: input.depositFen,
      depositPaymentRef: input.depositPaymentRef,
      status: suspended ? 'suspended' : 'ordered',
      orderedBy: actorOf(merchant),
      orderedAt: time.iso,
      orderTxId: txId,
      verifyBy: addDays(cstDate(time.epochMs), params.verificationDays),
      ...(suspended ? { alertId, suspendedFrom: 'ordered' as const } : {}),
      updatedAt: time.iso,
    };
    await putRecord(ctx, Orders, order);
    await putRecord(ctx, Assets, { ...asset, status: 'reserved', openOrderId: orderId, updatedAt: time.iso }, asset);
    await movePairOpenOrders(ctx, buyer.id, seller.id, pairOpen, 1);
    if (suspended) {
      await putRecord(ctx, Alerts, alertOf(alertId, order, reasons, 'order', time.iso, txId));
      emit(ctx, MarketEvents.OrderSuspended, {
        orderId,
        assetId: asset.id,
        alertId,
        stage: 'order',
        rules: reasons.map((r) => r.rule),
        sellerCounty: seller.county,
        buyerCounty: buyer.county,
      });
    } else {
      emit(ctx, MarketEvents.OrderPlaced, {
        orderId,
        assetId: asset.id,
        buyerSubjectId: buyer.id,
        sellerSubjectId: seller.id,
        priceFen: order.priceFen,
        depositFen: order.depositFen,
      });
    }
    return canonicalJson(order);
  }

  /** A verifier (acting for neither party) records the on-site verification; a fail cancels with the seller at fault. */
  @Transaction()
  async RecordVerification(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(marketTransactions.recordVerification.input, inputJson);
    const verifier = await requireRole(ctx, 'verifier');
    const previous = await mustGetRecord(ctx, Orders, [input.orderId], 'order');
    requireStatus(previous, 'ordered');
    await refuseActingFor(ctx, verifier, [previous.buyerSubjectId, previous.sellerSubjectId], `verify order ${previous.id} (it acts for a party)`);
    const time = txTime(ctx);
    const txId = ctx.stub.getTxID();
    const verification = {
      result: input.result,
      evidenceRefs: [...input.evidenceRefs],
      ...(input.note ? { note: input.note } : {}),
      verifier: actorOf(verifier),
      at: time.iso,
      txId,
    };
    if (input.result === 'pass') {
      await requireMayTrade(ctx, previous.buyerSubjectId, previous.priceFen);
      await requireMayTrade(ctx, previous.sellerSubjectId, previous.priceFen);
      const { paymentDays } = await loadParameters(ctx);
      const order: Order = { ...previous, status: 'verified', verification, payBy: addDays(cstDate(time.epochMs), paymentDays), updatedAt: time.iso };
      await putRecord(ctx, Orders, order, previous);
      emit(ctx, MarketEvents.OrderVerified, { orderId: order.id, result: 'pass', payBy: order.payBy });
      return canonicalJson(order);
    }
    const order = await cancelOrder(
      ctx,
      previous,
      { by: { ...actorOf(verifier), role: 'verifier' }, reason: 'on-site verification failed', faultParty: 'seller' },
      { ...previous, verification },
    );
    emit(ctx, MarketEvents.OrderCancelled, {
      orderId: order.id,
      result: 'fail',
      faultParty: 'seller',
      refundToBuyerFen: order.cancellation.refundToBuyerFen,
      forfeitedToSellerFen: 0,
    });
    return canonicalJson(order);
  }

  /**
   * A merchant acting for the buyer records the balance payment: T+1 settlement date,
   * ownership moves to the buyer, the transfer is appended to the ownership history,
   * and the deal is anchored as evidence, all in this one transaction.
   * The risk rules run again first (the index and the pair's orders may have moved since the
   * order), unless a regulator has cleared an alert on the order: when one fires, the order is
   * suspended instead (from `verified`), nothing is settled, and a regulator decides; after a
   * clearance the buyer settles again with a fresh balance deadline.
   */
  @Transaction()
  async SettleOrder(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(marketTransactions.settleOrder.input, inputJson);
    const previous = await mustGetRecord(ctx, Orders, [input.orderId], 'order');
    const merchant = await requireMerchantFor(ctx, previous.buyerSubjectId);
    requireStatus(previous, 'verified');
    await requireMayTrade(ctx, previous.buyerSubjectId, previous.priceFen);
    await requireMayTrade(ctx, previous.sellerSubjectId, previous.priceFen);
    const asset = await mustGetRecord(ctx, Assets, [previous.assetId], 'asset');
    const verification = requireSettleable(previous, asset);
    await requireForSale(ctx, asset);
    const params = await loadParameters(ctx);
    const pairOpen = await readPairOpenOrders(ctx, previous.buyerSubjectId, previous.sellerSubjectId);
    if (previous.riskClearedAlertId === undefined) {
      const time = txTime(ctx);
      const reasons = await riskReasons(ctx, previous, params, pairOpen, time.epochMs, 'settlement');
      if (reasons.length > 0) {
        const txId = ctx.stub.getTxID();
        const alertId = `al-${txId.slice(0, 32)}`;
        const suspended: Order = { ...previous, status: 'suspended', suspendedFrom: 'verified', alertId, updatedAt: time.iso };
        await putRecord(ctx, Orders, suspended, previous);
        await putRecord(ctx, Alerts, alertOf(alertId, previous, reasons, 'settlement', time.iso, txId));
        emit(ctx, MarketEvents.OrderSuspended, {
          orderId: previous.id,
          assetId: asset.id,
          alertId,
          stage: 'settlement',
          rules: reasons.map((r) => r.rule),
          sellerCounty: previous.sellerCounty,
          buyerCounty: previous.buyerCounty,
        });
        return canonicalJson(suspended);
      }
    }
    const order = await settleOrder(ctx, previous, asset, verification, input.paymentRef, merchant, pairOpen);
    emit(ctx, MarketEvents.OrderSettled, {
      orderId: order.id,
      assetId: asset.id,
      sellerSubjectId: previous.sellerSubjectId,
      buyerSubjectId: previous.buyerSubjectId,
      priceFen: previous.priceFen,
      crossRegion: previous.crossRegion,
      originCounty: previous.originCounty,
      buyerCounty: previous.buyerCounty,
      settlementDate: order.settlement.settlementDate,
      evidenceSha256: order.settlement.evidenceSha256,
    });
    return canonicalJson(order);
  }

  /**
   * A merchant acting for the buyer or the seller cancels an ordered or verified order.
   * Fault: a counterparty barred from trading, else a counterparty past its deadline
   * (seller for verification, buyer for the balance), else the party cancelling.
   */
  @Transaction()
  async CancelOrder(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(marketTransactions.cancelOrder.input, inputJson);
    const caller = await requireRole(ctx, 'merchant');
    const previous = await mustGetRecord(ctx, Orders, [input.orderId], 'order');
    const side = (await actsFor(ctx, caller.mspId, caller.member, previous.buyerSubjectId))
      ? 'buyer'
      : (await actsFor(ctx, caller.mspId, caller.member, previous.sellerSubjectId))
        ? 'seller'
        : undefined;
    if (!side) throw forbidden(`${caller.member} of ${caller.mspId} acts for neither party of order ${previous.id}`);
    if (previous.status !== 'ordered' && previous.status !== 'verified') requireStatus(previous, 'ordered');
    const ownSubject = side === 'buyer' ? previous.buyerSubjectId : previous.sellerSubjectId;
    const otherSubject = side === 'buyer' ? previous.sellerSubjectId : previous.buyerSubjectId;
    await requireMayTrade(ctx, ownSubject, 0);
    // A seller who may no longer sell the asset (a derivative off sale) is at fault like one barred from trading.
    const sellerBarred = await sellerMayNotSell(ctx, previous);
    const counterpartyBarred = !(await maySubjectTrade(ctx, otherSubject, 0)).allowed || (side === 'buyer' && sellerBarred);
    const faultParty =
      side === 'seller' && sellerBarred && !counterpartyBarred ? 'seller' : faultOnCancellation(previous, side, counterpartyBarred, today(ctx));
    const order = await cancelOrder(ctx, previous, { by: { ...actorOf(caller), role: side }, reason: input.reason, faultParty });
    emit(ctx, MarketEvents.OrderCancelled, {
      orderId: order.id,
      by: side,
      faultParty,
      refundToBuyerFen: order.cancellation.refundToBuyerFen,
      forfeitedToSellerFen: order.cancellation.forfeitedToSellerFen,
    });
    return canonicalJson(order);
  }

  @Transaction(false)
  async GetOrder(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(marketTransactions.getOrder.input, inputJson);
    const order = await mustGetRecord(ctx, Orders, [input.orderId], 'order');
    await requireMayReadOrder(ctx, order);
    return canonicalJson(order);
  }

  @Transaction(false)
  async ListOrders(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(marketTransactions.listOrders.input, inputJson);
    await requireMayReadOrdersOf(ctx, input.subjectId);
    const index = input.side === 'buyer' ? 'byBuyer' : 'bySeller';
    return canonicalJson(await listByIndex(ctx, Orders, index, [input.subjectId], checkPageSize(input.limit), input.cursor));
  }

  @Transaction(false)
  async ListTrades(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(marketTransactions.listTrades.input, inputJson);
    return canonicalJson(await listByIndex(ctx, Trades, 'byOrigin', [input.originCounty, input.date], checkPageSize(input.limit), input.cursor));
  }

  // ---------------------------------------------------------------- risk

  /**
   * A regulator of the seller's or the buyer's county, acting for neither party, decides an open
   * alert: clear (the order continues where it was suspended, with a fresh verification or balance
   * deadline, and the risk rules do not run on it again) or reject (the order is cancelled, the
   * deposit returned, no party at fault).
   */
  @Transaction()
  async ResolveAlert(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(marketTransactions.resolveAlert.input, inputJson);
    const regulator = await requireRole(ctx, 'regulator');
    const previous = await mustGetRecord(ctx, Alerts, [input.alertId], 'alert');
    if (regulator.mspId !== previous.sellerCounty && regulator.mspId !== previous.buyerCounty) {
      throw forbidden(`alert ${previous.id} is decided by a regulator of ${previous.sellerCounty} or ${previous.buyerCounty}, not ${regulator.mspId}`);
    }
    if (previous.status !== 'open') throw conflict(`alert ${previous.id} is already ${previous.status}`);
    const orderBefore = await mustGetRecord(ctx, Orders, [previous.orderId], 'order');
    await refuseActingFor(ctx, regulator, [orderBefore.buyerSubjectId, orderBefore.sellerSubjectId], `decide alert ${previous.id} (it acts for a party)`);
    if (orderBefore.status !== 'suspended') throw conflict(`order ${orderBefore.id} is not suspended (${orderBefore.status})`);
    const time = txTime(ctx);
    const txId = ctx.stub.getTxID();
    const alert: Alert = {
      ...previous,
      status: input.decision === 'clear' ? 'cleared' : 'rejected',
      resolvedBy: actorOf(regulator),
      resolvedAt: time.iso,
      resolveTxId: txId,
      note: input.note,
      ...(input.evidenceRefs?.length ? { evidenceRefs: [...input.evidenceRefs] } : {}),
    };
    const { suspendedFrom: _from, ...rest } = orderBefore;
    let order: Order;
    if (input.decision === 'clear') {
      const params = await loadParameters(ctx);
      const day = cstDate(time.epochMs);
      order =
        orderBefore.suspendedFrom === 'verified'
          ? { ...rest, status: 'verified', payBy: addDays(day, params.paymentDays), riskClearedAlertId: alert.id, updatedAt: time.iso }
          : { ...rest, status: 'ordered', verifyBy: addDays(day, params.verificationDays), riskClearedAlertId: alert.id, updatedAt: time.iso };
      await putRecord(ctx, Orders, order, orderBefore);
    } else {
      order = await cancelOrder(
        ctx,
        orderBefore,
        { by: { ...actorOf(regulator), role: 'regulator' }, reason: `risk alert rejected: ${input.note}`, faultParty: 'none' },
        rest,
      );
    }
    await putRecord(ctx, Alerts, alert, previous);
    emit(ctx, input.decision === 'clear' ? MarketEvents.AlertCleared : MarketEvents.AlertRejected, {
      alertId: alert.id,
      orderId: order.id,
      orderStatus: order.status,
      by: regulator.mspId,
    });
    return canonicalJson({ alert, order });
  }

  @Transaction(false)
  async GetAlert(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(marketTransactions.getAlert.input, inputJson);
    return canonicalJson(await mustGetRecord(ctx, Alerts, [input.alertId], 'alert'));
  }

  @Transaction(false)
  async ListAlerts(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(marketTransactions.listAlerts.input, inputJson);
    return canonicalJson(await listByIndex(ctx, Alerts, 'byStatus', [input.status], checkPageSize(input.limit), input.cursor));
  }

  @Transaction(false)
  async GetCategoryIndex(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(marketTransactions.getCategoryIndex.input, inputJson);
    const { indexWindow } = await loadParameters(ctx);
    const index = await categoryIndexAt(ctx, input.category, indexWindow, txTime(ctx).epochMs);
    if (!index) throw notFound(`category ${input.category} has no price settled ${INDEX_LAG_MS / 1000} s or more ago`);
    return canonicalJson(index);
  }

  /**
   * Category indexes in category order, one bounded page of categories at a time (each one
   * bounded range read); a category whose prices are all younger than INDEX_LAG_MS is left out,
   * so a page may hold fewer than `limit` and still have a next page.
   */
  @Transaction(false)
  async ListCategoryIndexes(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(marketTransactions.listCategoryIndexes.input, inputJson);
    const page = await listRecords(ctx, CategoryMarks, [], checkPageSize(input.limit), input.cursor);
    const { indexWindow } = await loadParameters(ctx);
    const nowMs = txTime(ctx).epochMs;
    const items: CategoryIndex[] = [];
    for (const mark of page.items) {
      const index = await categoryIndexAt(ctx, mark.category, indexWindow, nowMs);
      if (index) items.push(index);
    }
    return canonicalJson(page.nextCursor ? { items, nextCursor: page.nextCursor } : { items });
  }
}
