import { Context, Info, Transaction } from 'fabric-contract-api';
import { canonicalJson } from '../kernel/canonical-json';
import { CountyContract } from '../kernel/contract-base';
import { conflict, forbidden, invalidArgument, ruleViolation } from '../kernel/errors';
import { emit } from '../kernel/events';
import { Caller } from '../kernel/identity';
import { checkPageSize, deleteRecord, getRecord, listByIndex, mustGetRecord, putRecord } from '../kernel/state';
import { today, txTime } from '../kernel/time';
import { parseInput } from '../kernel/validate';
import { fundTransactions } from './transactions';
import { requireRole } from '../membership/access';
import { Role } from '../kernel/schemas';
import { allocate } from './allocation';
import { allCounties, getCounty } from '../counties/counties';
import { fundRestriction } from './fund-eligibility';
import { actorOf } from '../kernel/actor';
import { addFen, fenBig, fenTotal } from '../kernel/money';
import {
  CarbonSink,
  CarbonSinks,
  Contribution,
  Contributions,
  CountyAllocation,
  Disbursement,
  Disbursements,
  DisbursementWithPayout,
  FundBalance,
  FundBalances,
  MetricDefinition,
  PaymentRefUses,
  Payout,
  Payouts,
  Round,
  Rounds,
} from './records';
import { volumeOfDay } from '../market/trade-statistics';
import { SummedEntriesBudget } from '../kernel/summed-entries';
import { MetricInput } from './schemas';
import { datesOf } from '../kernel/dates';
import { livePeriodsOf, overlappingRound, withoutRound, withRound } from './round-periods';

export const FundEvents = {
  ContributionRecorded: 'fund.ContributionRecorded',
  CarbonSinkReported: 'fund.CarbonSinkReported',
  CarbonSinkConfirmed: 'fund.CarbonSinkConfirmed',
  CarbonSinkRejected: 'fund.CarbonSinkRejected',
  RoundProposed: 'fund.RoundProposed',
  RoundApproved: 'fund.RoundApproved',
  RoundFinalized: 'fund.RoundFinalized',
  RoundWithdrawn: 'fund.RoundWithdrawn',
  DisbursementRecorded: 'fund.DisbursementRecorded',
  DisbursementConfirmed: 'fund.DisbursementConfirmed',
  DisbursementDisputed: 'fund.DisbursementDisputed',
  DisbursementCancelled: 'fund.DisbursementCancelled',
} as const;

@Info({
  title: 'Fund',
  description: 'Cross-region ecological compensation fund (跨区域生态补偿基金): contributions, carbon sink, allocation rounds, disbursements',
})
export class FundContract extends CountyContract {
  constructor() {
    super('Fund');
  }

  // ---------------------------------------------------------------- contributions

  /** Finance of a registered county records its county's contribution with the payment reference. */
  @Transaction()
  async RecordContribution(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(fundTransactions.recordContribution.input, inputJson);
    const finance = await requireCountyRole(ctx, 'finance');
    await usePaymentRef(ctx, finance, input.paymentRef);
    const balance = await loadBalance(ctx);
    const contributedFen = addFen(balance.contributedFen, input.amountFen);
    const time = txTime(ctx);
    const txId = ctx.stub.getTxID();
    const contribution: Contribution = {
      id: `fc-${txId.slice(0, 32)}`,
      county: finance.mspId,
      amountFen: input.amountFen,
      paymentRef: input.paymentRef,
      ...(input.note ? { note: input.note } : {}),
      recordedBy: actorOf(finance),
      at: time.iso,
      txId,
    };
    await putRecord(ctx, Contributions, contribution);
    await putRecord(ctx, FundBalances, { id: 'fund', contributedFen, committedFen: balance.committedFen }, balance.exists ? stripExists(balance) : undefined);
    emit(ctx, FundEvents.ContributionRecorded, { id: contribution.id, county: contribution.county, amountFen: contribution.amountFen });
    return canonicalJson(contribution);
  }

  @Transaction(false)
  async ListContributions(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(fundTransactions.listContributions.input, inputJson);
    return canonicalJson(await listByIndex(ctx, Contributions, 'byCounty', [input.county], checkPageSize(input.limit), input.cursor));
  }

  /** Contributed in total, committed to finalized rounds, and available for new rounds. */
  @Transaction(false)
  async GetBalance(ctx: Context): Promise<string> {
    const b = await loadBalance(ctx);
    return canonicalJson({ contributedFen: b.contributedFen, committedFen: b.committedFen, availableFen: fenTotal(availableOf(b)) });
  }

  // ---------------------------------------------------------------- carbon sink

  /** Finance or a regulator of a county reports its carbon sink for a period, with evidence. */
  @Transaction()
  async ReportCarbonSink(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(fundTransactions.reportCarbonSink.input, inputJson);
    const reporter = await requireCountyRole(ctx, 'finance', 'regulator');
    const previous = await getRecord(ctx, CarbonSinks, [reporter.mspId, input.periodFrom, input.periodTo]);
    if (previous && previous.status !== 'rejected')
      throw conflict(`${reporter.mspId} already reported its carbon sink for ${input.periodFrom}..${input.periodTo} (${previous.status})`);
    const report: CarbonSink = {
      county: reporter.mspId,
      periodFrom: input.periodFrom,
      periodTo: input.periodTo,
      kgCo2e: input.kgCo2e,
      evidenceRefs: [...input.evidenceRefs],
      ...(input.note ? { note: input.note } : {}),
      status: 'reported',
      reportedBy: actorOf(reporter),
      reportedAt: txTime(ctx).iso,
      reportTxId: ctx.stub.getTxID(),
    };
    await putRecord(ctx, CarbonSinks, report, previous);
    emit(ctx, FundEvents.CarbonSinkReported, { county: report.county, periodFrom: report.periodFrom, periodTo: report.periodTo, kgCo2e: report.kgCo2e });
    return canonicalJson(report);
  }

  /** A verifier of another county confirms or rejects a reported carbon sink; only confirmed sinks count. */
  @Transaction()
  async ConfirmCarbonSink(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(fundTransactions.confirmCarbonSink.input, inputJson);
    const verifier = await requireRole(ctx, 'verifier');
    const previous = await mustGetRecord(ctx, CarbonSinks, [input.county, input.periodFrom, input.periodTo], 'carbon sink report');
    if (verifier.mspId === previous.county) throw forbidden(`a verifier of ${verifier.mspId} may not confirm its own county's carbon sink`);
    if (previous.status !== 'reported') throw conflict(`the carbon sink report is already ${previous.status}`);
    const report: CarbonSink = {
      ...previous,
      status: input.decision === 'confirm' ? 'confirmed' : 'rejected',
      decidedBy: actorOf(verifier),
      decidedAt: txTime(ctx).iso,
      decisionTxId: ctx.stub.getTxID(),
      ...(input.note ? { decisionNote: input.note } : {}),
    };
    await putRecord(ctx, CarbonSinks, report, previous);
    emit(ctx, input.decision === 'confirm' ? FundEvents.CarbonSinkConfirmed : FundEvents.CarbonSinkRejected, {
      county: report.county,
      periodFrom: report.periodFrom,
      periodTo: report.periodTo,
      kgCo2e: report.kgCo2e,
      by: verifier.mspId,
    });
    return canonicalJson(report);
  }

  @Transaction(false)
  async GetCarbonSink(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(fundTransactions.getCarbonSink.input, inputJson);
    return canonicalJson(await mustGetRecord(ctx, CarbonSinks, [input.county, input.periodFrom, input.periodTo], 'carbon sink report'));
  }

  /** Settled cross-region eco-product trade volume of an origin county over a period, summed from the ledger's per-trade entries (exact). */
  @Transaction(false)
  async TradeVolume(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(fundTransactions.tradeVolume.input, inputJson);
    const days: Array<{ date: string; volumeFen: string; trades: number }> = [];
    let volumeFen = 0n;
    let trades = 0;
    const budget = new SummedEntriesBudget();
    for (const date of datesOf(input.periodFrom, input.periodTo)) {
      const day = await volumeOfDay(ctx, input.county, date, budget);
      if (!day) continue;
      days.push({ date, volumeFen: fenTotal(day.volumeFen), trades: day.trades });
      volumeFen += day.volumeFen;
      trades += day.trades;
    }
    return canonicalJson({ county: input.county, periodFrom: input.periodFrom, periodTo: input.periodTo, volumeFen: fenTotal(volumeFen), trades, days });
  }

  // ---------------------------------------------------------------- rounds

  /**
   * Finance of a registered county proposes an allocation round for a finished period.
   * The counties are the registered ones now; trade volume and carbon sink are read from
   * the ledger; restricted counties get nothing; the amounts sum exactly to the pool.
   */
  @Transaction()
  async ProposeRound(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(fundTransactions.proposeRound.input, inputJson);
    const finance = await requireCountyRole(ctx, 'finance');
    const time = txTime(ctx);
    const txDay = today(ctx);
    if (input.periodTo >= txDay) throw ruleViolation(`the period must have ended before the round is proposed: ${input.periodTo} is not before ${txDay}`);
    const counties = await allCounties(ctx);
    const known = new Set(counties.map((c) => c.mspId));
    for (const m of input.metrics) {
      if (m.metric !== 'indicator') continue;
      for (const v of m.values) if (!known.has(v.county)) throw invalidArgument(`indicator ${m.name} names ${v.county}, which is not a registered county`);
    }
    const balance = await loadBalance(ctx);
    requireAvailable(balance, input.poolFen);
    // No two rounds that are not withdrawn cover overlapping periods for a common county.
    const periods = [];
    for (const county of counties) {
      const live = await livePeriodsOf(ctx, county.mspId, input.periodFrom, input.periodTo);
      refuseOverlap(county.mspId, overlappingRound(live, input.periodFrom, input.periodTo));
      periods.push(live);
    }

    const keys = input.metrics.map(metricKey);
    const dates = datesOf(input.periodFrom, input.periodTo);
    const rows: Array<{ county: string; values: Record<string, string>; eligible: boolean; restriction?: string }> = [];
    const budget = new SummedEntriesBudget();
    for (const county of counties) {
      const values: Record<string, string> = {};
      for (const m of input.metrics) values[metricKey(m)] = fenTotal(await metricValue(ctx, m, county.mspId, input.periodFrom, input.periodTo, dates, budget));
      const restriction = await fundRestriction(ctx, county);
      rows.push({ county: county.mspId, values, eligible: restriction === undefined, ...(restriction !== undefined ? { restriction } : {}) });
    }
    const { amountsFen, eligibleTotals } = allocate(
      input.poolFen,
      input.metrics.map((m) => ({ key: metricKey(m), weightBp: m.weightBp })),
      rows,
    );
    const metrics: MetricDefinition[] = input.metrics.map((m, i) => ({
      metric: m.metric,
      ...(m.metric === 'indicator' ? { name: m.name } : {}),
      weightBp: m.weightBp,
      eligibleTotal: fenTotal(eligibleTotals[keys[i] as string] ?? 0n),
    }));
    const allocations: CountyAllocation[] = rows.map((r, i) => ({ ...r, amountFen: amountsFen[i] as number }));
    const txId = ctx.stub.getTxID();
    const round: Round = {
      id: `fr-${txId.slice(0, 32)}`,
      periodFrom: input.periodFrom,
      periodTo: input.periodTo,
      poolFen: input.poolFen,
      metrics,
      allocations,
      approvalsNeeded: Math.floor(counties.length / 2) + 1,
      approvals: [],
      status: 'proposed',
      ...(input.note ? { note: input.note } : {}),
      proposedBy: actorOf(finance),
      proposedAt: time.iso,
      proposeTxId: txId,
    };
    await putRecord(ctx, Rounds, round);
    for (const live of periods) await withRound(ctx, live, round);
    emit(ctx, FundEvents.RoundProposed, {
      roundId: round.id,
      periodFrom: round.periodFrom,
      periodTo: round.periodTo,
      poolFen: round.poolFen,
      counties: allocations.map((a) => a.county),
      by: finance.mspId,
    });
    return canonicalJson(round);
  }

  /** Finance of a county of the round approves it, once per county. */
  @Transaction()
  async ApproveRound(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(fundTransactions.approveRound.input, inputJson);
    const finance = await requireRole(ctx, 'finance');
    const previous = await mustGetRecord(ctx, Rounds, [input.roundId], 'round');
    requireRoundCounty(previous, finance);
    if (previous.status !== 'proposed') throw conflict(`round ${previous.id} is ${previous.status} and can no longer be approved`);
    if (previous.approvals.some((a) => a.county === finance.mspId)) throw conflict(`${finance.mspId} has already approved round ${previous.id}`);
    const round: Round = {
      ...previous,
      approvals: [...previous.approvals, { county: finance.mspId, by: actorOf(finance), at: txTime(ctx).iso, txId: ctx.stub.getTxID() }],
    };
    await putRecord(ctx, Rounds, round, previous);
    emit(ctx, FundEvents.RoundApproved, {
      roundId: round.id,
      county: finance.mspId,
      approvals: round.approvals.length,
      approvalsNeeded: round.approvalsNeeded,
    });
    return canonicalJson(round);
  }

  /** Finance of a county of the round finalizes it once a majority approved; it never changes again. */
  @Transaction()
  async FinalizeRound(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(fundTransactions.finalizeRound.input, inputJson);
    const finance = await requireRole(ctx, 'finance');
    const previous = await mustGetRecord(ctx, Rounds, [input.roundId], 'round');
    requireRoundCounty(previous, finance);
    if (previous.status !== 'proposed') throw conflict(`round ${previous.id} is already ${previous.status}`);
    if (previous.approvals.length < previous.approvalsNeeded) {
      throw ruleViolation(
        `round ${previous.id} has ${previous.approvals.length} approvals; a majority of its ${previous.allocations.length} counties (${previous.approvalsNeeded}) is needed`,
      );
    }
    const balance = await loadBalance(ctx);
    requireAvailable(balance, previous.poolFen);
    for (const a of previous.allocations) {
      const live = await livePeriodsOf(ctx, a.county, previous.periodFrom, previous.periodTo);
      refuseOverlap(a.county, overlappingRound(live, previous.periodFrom, previous.periodTo, previous.id));
    }
    const time = txTime(ctx);
    const round: Round = { ...previous, status: 'finalized', finalizedBy: actorOf(finance), finalizedAt: time.iso, finalizeTxId: ctx.stub.getTxID() };
    await putRecord(ctx, Rounds, round, previous);
    await putRecord(
      ctx,
      FundBalances,
      { id: 'fund', contributedFen: balance.contributedFen, committedFen: addFen(balance.committedFen, round.poolFen) },
      balance.exists ? stripExists(balance) : undefined,
    );
    emit(ctx, FundEvents.RoundFinalized, {
      roundId: round.id,
      poolFen: round.poolFen,
      allocations: round.allocations.map((a) => ({ county: a.county, amountFen: a.amountFen })),
      by: finance.mspId,
    });
    return canonicalJson(round);
  }

  /**
   * Finance of the proposer's county withdraws a round before it is finalized: it keeps its
   * record (status withdrawn) but covers no period any more, so another round may be proposed.
   */
  @Transaction()
  async WithdrawRound(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(fundTransactions.withdrawRound.input, inputJson);
    const finance = await requireRole(ctx, 'finance');
    const previous = await mustGetRecord(ctx, Rounds, [input.roundId], 'round');
    if (finance.mspId !== previous.proposedBy.mspId)
      throw forbidden(`round ${previous.id} was proposed by ${previous.proposedBy.mspId}; only its finance may withdraw it`);
    if (previous.status !== 'proposed') throw conflict(`round ${previous.id} is ${previous.status} and can no longer be withdrawn`);
    const time = txTime(ctx);
    const round: Round = {
      ...previous,
      status: 'withdrawn',
      withdrawal: { by: actorOf(finance), at: time.iso, txId: ctx.stub.getTxID(), reason: input.reason },
    };
    await putRecord(ctx, Rounds, round, previous);
    for (const a of previous.allocations) await withoutRound(ctx, a.county, previous);
    emit(ctx, FundEvents.RoundWithdrawn, { roundId: round.id, periodFrom: round.periodFrom, periodTo: round.periodTo, by: finance.mspId });
    return canonicalJson(round);
  }

  /**
   * Finance of a county of a finalized round (the paying side: any county of the round but the
   * receiving one) records a payment to a county. It counts as disbursed only once the receiving
   * county's finance confirms it; until then it holds its amount against the allocation, and
   * confirmed + recorded never exceed the allocation (the receiver's dispute frees the amount).
   */
  @Transaction()
  async RecordDisbursement(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(fundTransactions.recordDisbursement.input, inputJson);
    const finance = await requireRole(ctx, 'finance');
    const round = await mustGetRecord(ctx, Rounds, [input.roundId], 'round');
    requireRoundCounty(round, finance);
    if (round.status !== 'finalized') throw conflict(`round ${round.id} is ${round.status}; disbursements are recorded against finalized rounds only`);
    const allocation = round.allocations.find((a) => a.county === input.county);
    if (!allocation) throw ruleViolation(`${input.county} is not a county of round ${round.id}`);
    if (input.county === finance.mspId)
      throw forbidden(`${finance.mspId} may not record a disbursement to itself: another county of the round records it and ${finance.mspId} confirms it`);
    const county = await getCounty(ctx, input.county);
    const restriction = county ? await fundRestriction(ctx, county) : undefined;
    if (restriction !== undefined) throw ruleViolation(`${input.county} is restricted from fund eligibility: ${restriction}`);
    const payout = payoutOf(round.id, input.county, await getRecord(ctx, Payouts, [round.id, input.county]));
    if (payout.disbursedFen + payout.pendingFen + input.amountFen > allocation.amountFen) {
      throw ruleViolation(
        `recording ${input.amountFen} fen to ${input.county} would exceed its allocation of ${allocation.amountFen} fen ` +
          `(${payout.disbursedFen} fen confirmed, ${payout.pendingFen} fen recorded and awaiting ${input.county}'s confirmation; ` +
          `the receiving county may dispute a payment it did not receive)`,
      );
    }
    await usePaymentRef(ctx, finance, input.paymentRef);
    const time = txTime(ctx);
    const txId = ctx.stub.getTxID();
    const disbursement: Disbursement = {
      id: `fd-${txId.slice(0, 32)}`,
      roundId: round.id,
      county: input.county,
      amountFen: input.amountFen,
      paymentRef: input.paymentRef,
      ...(input.note ? { note: input.note } : {}),
      status: 'recorded',
      recordedBy: actorOf(finance),
      at: time.iso,
      txId,
    };
    const next: Payout = { ...payout.stored, pendingFen: payout.pendingFen + input.amountFen, pending: payout.pending + 1 };
    await putRecord(ctx, Disbursements, disbursement);
    await putRecord(ctx, Payouts, next, payout.previous);
    emit(ctx, FundEvents.DisbursementRecorded, disbursementEvent(disbursement, next, allocation.amountFen));
    return canonicalJson(withPayout(disbursement, next, allocation.amountFen));
  }

  /** Finance of the receiving county confirms it received a recorded disbursement: from now on it counts as disbursed. */
  @Transaction()
  async ConfirmDisbursement(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(fundTransactions.confirmDisbursement.input, inputJson);
    return decideDisbursement(ctx, input.disbursementId, 'confirm', input.note);
  }

  /** Finance of the receiving county disputes a recorded disbursement it did not receive: its amount no longer holds the allocation. */
  @Transaction()
  async DisputeDisbursement(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(fundTransactions.disputeDisbursement.input, inputJson);
    return decideDisbursement(ctx, input.disbursementId, 'dispute', input.reason);
  }

  /** Finance of the recording county cancels a disbursement not confirmed (recorded or disputed); its payment reference is free again. */
  @Transaction()
  async CancelDisbursement(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(fundTransactions.cancelDisbursement.input, inputJson);
    return decideDisbursement(ctx, input.disbursementId, 'cancel', input.reason);
  }

  @Transaction(false)
  async GetDisbursement(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(fundTransactions.getDisbursement.input, inputJson);
    return canonicalJson(await mustGetRecord(ctx, Disbursements, [input.disbursementId], 'disbursement'));
  }

  /** A round, with what has been disbursed (confirmed) to each county so far and what awaits confirmation. */
  @Transaction(false)
  async GetRound(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(fundTransactions.getRound.input, inputJson);
    const round = await mustGetRecord(ctx, Rounds, [input.roundId], 'round');
    const disbursedFen: Record<string, number> = {};
    const pendingFen: Record<string, number> = {};
    for (const a of round.allocations) {
      const payout = await getRecord(ctx, Payouts, [round.id, a.county]);
      disbursedFen[a.county] = payout?.disbursedFen ?? 0;
      pendingFen[a.county] = payout?.pendingFen ?? 0;
    }
    return canonicalJson({ ...round, disbursedFen, pendingFen });
  }

  @Transaction(false)
  async ListRounds(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(fundTransactions.listRounds.input, inputJson);
    return canonicalJson(await listByIndex(ctx, Rounds, 'byStatus', [input.status], checkPageSize(input.limit), input.cursor));
  }

  /** A round's disbursements or a receiving county's, in recording order, all or of one status. */
  @Transaction(false)
  async ListDisbursements(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(fundTransactions.listDisbursements.input, inputJson);
    const [index, owner] = input.roundId !== undefined ? (['byRound', input.roundId] as const) : (['byCounty', input.county as string] as const);
    return canonicalJson(await listByIndex(ctx, Disbursements, index, [owner, input.status ?? '*'], checkPageSize(input.limit), input.cursor));
  }
}

type Decision = 'confirm' | 'dispute' | 'cancel';

/**
 * The receiving county confirms or disputes a recorded disbursement; the recording county cancels
 * one not confirmed. Confirming moves its amount from pending to disbursed; disputing or cancelling
 * a recorded one frees it (a disputed one already is); cancelling frees the payment reference.
 */
async function decideDisbursement(ctx: Context, disbursementId: string, decision: Decision, note: string | undefined): Promise<string> {
  const finance = await requireRole(ctx, 'finance');
  const previous = await mustGetRecord(ctx, Disbursements, [disbursementId], 'disbursement');
  if (decision === 'cancel') {
    if (finance.mspId !== previous.recordedBy.mspId)
      throw forbidden(`disbursement ${previous.id} was recorded by ${previous.recordedBy.mspId}; only its finance may cancel it`);
    if (previous.status !== 'recorded' && previous.status !== 'disputed')
      throw conflict(`disbursement ${previous.id} is ${previous.status}; only a recorded or disputed one can be cancelled`);
  } else {
    if (finance.mspId !== previous.county) throw forbidden(`disbursement ${previous.id} is to ${previous.county}; only its finance may ${decision} it`);
    if (previous.status !== 'recorded') throw conflict(`disbursement ${previous.id} is ${previous.status}; only a recorded one can be ${decision}ed`);
  }
  const round = await mustGetRecord(ctx, Rounds, [previous.roundId], 'round');
  const allocatedFen = round.allocations.find((a) => a.county === previous.county)?.amountFen ?? 0;
  const payout = payoutOf(previous.roundId, previous.county, await getRecord(ctx, Payouts, [previous.roundId, previous.county]));
  const wasPending = previous.status === 'recorded';
  const next: Payout = {
    ...payout.stored,
    pendingFen: payout.pendingFen - (wasPending ? previous.amountFen : 0),
    pending: payout.pending - (wasPending ? 1 : 0),
    ...(decision === 'confirm' ? { disbursedFen: payout.disbursedFen + previous.amountFen, disbursements: payout.disbursements + 1 } : {}),
  };
  const act = { by: actorOf(finance), at: txTime(ctx).iso, txId: ctx.stub.getTxID(), ...(note ? { note } : {}) };
  const disbursement: Disbursement =
    decision === 'confirm'
      ? { ...previous, status: 'confirmed', confirmation: act }
      : decision === 'dispute'
        ? { ...previous, status: 'disputed', dispute: act }
        : { ...previous, status: 'cancelled', cancellation: act };
  await putRecord(ctx, Disbursements, disbursement, previous);
  if (wasPending || decision === 'confirm') await putRecord(ctx, Payouts, next, payout.previous);
  if (decision === 'cancel') {
    const use = await getRecord(ctx, PaymentRefUses, [previous.recordedBy.mspId, previous.paymentRef]);
    if (use?.txId === previous.txId) await deleteRecord(ctx, PaymentRefUses, use);
  }
  const event =
    decision === 'confirm' ? FundEvents.DisbursementConfirmed : decision === 'dispute' ? FundEvents.DisbursementDisputed : FundEvents.DisbursementCancelled;
  emit(ctx, event, { ...disbursementEvent(disbursement, next, allocatedFen), by: finance.mspId });
  return canonicalJson(withPayout(disbursement, next, allocatedFen));
}

interface LoadedPayout {
  readonly previous: Payout | undefined;
  readonly stored: Payout;
  readonly disbursedFen: number;
  readonly disbursements: number;
  readonly pendingFen: number;
  readonly pending: number;
}

function payoutOf(roundId: string, county: string, previous: Payout | undefined): LoadedPayout {
  const stored: Payout = {
    roundId,
    county,
    disbursedFen: previous?.disbursedFen ?? 0,
    disbursements: previous?.disbursements ?? 0,
    pendingFen: previous?.pendingFen ?? 0,
    pending: previous?.pending ?? 0,
  };
  return { previous, stored, ...stored };
}

function withPayout(d: Disbursement, payout: Payout, allocatedFen: number): DisbursementWithPayout {
  return { ...d, disbursedFen: payout.disbursedFen, pendingFen: payout.pendingFen, allocatedFen };
}

function disbursementEvent(d: Disbursement, payout: Payout, allocatedFen: number): Record<string, unknown> {
  return {
    disbursementId: d.id,
    roundId: d.roundId,
    county: d.county,
    amountFen: d.amountFen,
    status: d.status,
    recordedBy: d.recordedBy.mspId,
    disbursedFen: payout.disbursedFen,
    pendingFen: payout.pendingFen,
    allocatedFen,
  };
}

function refuseOverlap(county: string, other: { roundId: string; periodFrom: string; periodTo: string } | undefined): void {
  if (other)
    throw ruleViolation(
      `round ${other.roundId} already covers ${other.periodFrom}..${other.periodTo} for ${county}; no two rounds that are not withdrawn may cover overlapping periods for a common county`,
    );
}

/** The caller holding one of the roles, in a registered county. */
async function requireCountyRole(ctx: Context, ...roles: Role[]): Promise<Caller> {
  const caller = await requireRole(ctx, ...roles);
  if (!(await getCounty(ctx, caller.mspId))) throw forbidden(`${caller.mspId} is not a registered county`);
  return caller;
}

function requireRoundCounty(round: Round, caller: Caller): void {
  if (!round.allocations.some((a) => a.county === caller.mspId)) throw forbidden(`${caller.mspId} is not a county of round ${round.id}`);
}

type LoadedBalance = FundBalance & { exists: boolean };

async function loadBalance(ctx: Context): Promise<LoadedBalance> {
  const stored = await getRecord(ctx, FundBalances, ['fund']);
  // addFen normalises a total an earlier version stored as a number.
  return stored
    ? { ...stored, contributedFen: addFen(stored.contributedFen), committedFen: addFen(stored.committedFen), exists: true }
    : { id: 'fund', contributedFen: '0', committedFen: '0', exists: false };
}

function stripExists(b: LoadedBalance): FundBalance {
  return { id: 'fund', contributedFen: b.contributedFen, committedFen: b.committedFen };
}

function availableOf(balance: FundBalance): bigint {
  return fenBig(balance.contributedFen) - fenBig(balance.committedFen);
}

function requireAvailable(balance: FundBalance, poolFen: number): void {
  const available = availableOf(balance);
  if (BigInt(poolFen) > available) throw ruleViolation(`the pool of ${poolFen} fen exceeds the fund's uncommitted contributions of ${available} fen`);
}

/** A payment reference is used once per county. */
async function usePaymentRef(ctx: Context, caller: Caller, paymentRef: string): Promise<void> {
  if (await getRecord(ctx, PaymentRefUses, [caller.mspId, paymentRef]))
    throw conflict(`payment reference ${paymentRef} was already recorded by ${caller.mspId}`);
  await putRecord(ctx, PaymentRefUses, { county: caller.mspId, paymentRef, usedBy: caller.member, txId: ctx.stub.getTxID() });
}

function metricKey(m: MetricInput): string {
  return m.metric === 'indicator' ? `indicator:${m.name}` : m.metric;
}

/** A county's value of a metric over the round's period, exact (a trade volume may exceed 2^53). */
async function metricValue(
  ctx: Context,
  m: MetricInput,
  county: string,
  periodFrom: string,
  periodTo: string,
  dates: readonly string[],
  budget: SummedEntriesBudget,
): Promise<bigint> {
  switch (m.metric) {
    case 'trade-volume': {
      // A finished period: no settlement writes its days any more, so these range reads cannot meet a phantom.
      let total = 0n;
      for (const date of dates) total += (await volumeOfDay(ctx, county, date, budget))?.volumeFen ?? 0n;
      return total;
    }
    case 'carbon-sink': {
      const report = await getRecord(ctx, CarbonSinks, [county, periodFrom, periodTo]);
      return BigInt(report?.status === 'confirmed' ? report.kgCo2e : 0);
    }
    case 'indicator':
      return BigInt(m.values.find((v) => v.county === county)?.value ?? 0);
  }
}
