import { Context, Info, Transaction } from 'fabric-contract-api';
import { canonicalJson } from '../kernel/canonical-json';
import { CountyContract } from '../kernel/contract-base';
import { conflict, forbidden, invalidArgument, ruleViolation } from '../kernel/errors';
import { emit } from '../kernel/events';
import { Caller } from '../kernel/identity';
import { checkPageSize, getRecord, listByIndex, listRecords, mustGetRecord, putRecord } from '../kernel/state';
import { today, txTime } from '../kernel/time';
import { parseInput } from '../kernel/validate';
import { fundTransactions } from './transactions';
import { requireRole } from '../membership/access';
import { Role } from '../kernel/schemas';
import { allocate } from './allocation';
import { allCounties, getCounty } from '../counties/counties';
import { fundRestriction } from './fund-eligibility';
import { actorOf } from '../kernel/actor';
import {
  CarbonSink,
  CarbonSinks,
  Contribution,
  Contributions,
  CountyAllocation,
  Disbursement,
  Disbursements,
  FundBalance,
  FundBalances,
  MetricDefinition,
  PaymentRefUses,
  Payouts,
  Round,
  Rounds,
} from './records';
import { VolumeDays } from '../market/trade-statistics';
import { MetricInput } from './schemas';
import { datesOf } from '../kernel/dates';

export const FundEvents = {
  ContributionRecorded: 'fund.ContributionRecorded',
  CarbonSinkReported: 'fund.CarbonSinkReported',
  CarbonSinkConfirmed: 'fund.CarbonSinkConfirmed',
  CarbonSinkRejected: 'fund.CarbonSinkRejected',
  RoundProposed: 'fund.RoundProposed',
  RoundApproved: 'fund.RoundApproved',
  RoundFinalized: 'fund.RoundFinalized',
  DisbursementRecorded: 'fund.DisbursementRecorded',
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
    const contributedFen = balance.contributedFen + input.amountFen;
    if (!Number.isSafeInteger(contributedFen)) throw ruleViolation('the fund total would exceed the safe integer range');
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
    return canonicalJson({ contributedFen: b.contributedFen, committedFen: b.committedFen, availableFen: b.contributedFen - b.committedFen });
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

  /** Settled eco-product trade volume of an origin county over a period, from the ledger's running day totals. */
  @Transaction(false)
  async TradeVolume(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(fundTransactions.tradeVolume.input, inputJson);
    const days: Array<{ date: string; volumeFen: number; trades: number }> = [];
    let volumeFen = 0;
    let trades = 0;
    for (const date of datesOf(input.periodFrom, input.periodTo)) {
      const day = await getRecord(ctx, VolumeDays, [input.county, date]);
      if (!day) continue;
      days.push({ date, volumeFen: day.volumeFen, trades: day.trades });
      volumeFen += day.volumeFen;
      trades += day.trades;
    }
    return canonicalJson({ county: input.county, periodFrom: input.periodFrom, periodTo: input.periodTo, volumeFen, trades, days });
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

    const keys = input.metrics.map(metricKey);
    const dates = datesOf(input.periodFrom, input.periodTo);
    const rows: Array<{ county: string; values: Record<string, number>; eligible: boolean; restriction?: string }> = [];
    for (const county of counties) {
      const values: Record<string, number> = {};
      for (const m of input.metrics) values[metricKey(m)] = await metricValue(ctx, m, county.mspId, input.periodFrom, input.periodTo, dates);
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
      eligibleTotal: eligibleTotals[keys[i] as string] ?? 0,
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
    const time = txTime(ctx);
    const round: Round = { ...previous, status: 'finalized', finalizedBy: actorOf(finance), finalizedAt: time.iso, finalizeTxId: ctx.stub.getTxID() };
    await putRecord(ctx, Rounds, round, previous);
    await putRecord(
      ctx,
      FundBalances,
      { id: 'fund', contributedFen: balance.contributedFen, committedFen: balance.committedFen + round.poolFen },
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

  /** Finance of a county of a finalized round records a payment to a county; never more than its allocation. */
  @Transaction()
  async RecordDisbursement(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(fundTransactions.recordDisbursement.input, inputJson);
    const finance = await requireRole(ctx, 'finance');
    const round = await mustGetRecord(ctx, Rounds, [input.roundId], 'round');
    requireRoundCounty(round, finance);
    if (round.status !== 'finalized') throw conflict(`round ${round.id} is ${round.status}; disbursements are recorded against finalized rounds only`);
    const allocation = round.allocations.find((a) => a.county === input.county);
    if (!allocation) throw ruleViolation(`${input.county} is not a county of round ${round.id}`);
    const county = await getCounty(ctx, input.county);
    const restriction = county ? await fundRestriction(ctx, county) : undefined;
    if (restriction !== undefined) throw ruleViolation(`${input.county} is restricted from fund eligibility: ${restriction}`);
    const payout = await getRecord(ctx, Payouts, [round.id, input.county]);
    const disbursedFen = (payout?.disbursedFen ?? 0) + input.amountFen;
    if (disbursedFen > allocation.amountFen) {
      throw ruleViolation(
        `disbursing ${input.amountFen} fen to ${input.county} would exceed its allocation of ${allocation.amountFen} fen (${payout?.disbursedFen ?? 0} fen already disbursed)`,
      );
    }
    await usePaymentRef(ctx, finance, input.paymentRef);
    const time = txTime(ctx);
    const disbursement: Disbursement = {
      roundId: round.id,
      county: input.county,
      amountFen: input.amountFen,
      paymentRef: input.paymentRef,
      ...(input.note ? { note: input.note } : {}),
      recordedBy: actorOf(finance),
      at: time.iso,
      txId: ctx.stub.getTxID(),
    };
    await putRecord(ctx, Disbursements, disbursement);
    await putRecord(ctx, Payouts, { roundId: round.id, county: input.county, disbursedFen, disbursements: (payout?.disbursements ?? 0) + 1 }, payout);
    emit(ctx, FundEvents.DisbursementRecorded, {
      roundId: round.id,
      county: input.county,
      amountFen: input.amountFen,
      disbursedFen,
      allocatedFen: allocation.amountFen,
    });
    return canonicalJson({ ...disbursement, disbursedFen, allocatedFen: allocation.amountFen });
  }

  /** A round, with what has been disbursed to each county so far. */
  @Transaction(false)
  async GetRound(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(fundTransactions.getRound.input, inputJson);
    const round = await mustGetRecord(ctx, Rounds, [input.roundId], 'round');
    const disbursedFen: Record<string, number> = {};
    for (const a of round.allocations) disbursedFen[a.county] = (await getRecord(ctx, Payouts, [round.id, a.county]))?.disbursedFen ?? 0;
    return canonicalJson({ ...round, disbursedFen });
  }

  @Transaction(false)
  async ListRounds(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(fundTransactions.listRounds.input, inputJson);
    return canonicalJson(await listByIndex(ctx, Rounds, 'byStatus', [input.status], checkPageSize(input.limit), input.cursor));
  }

  @Transaction(false)
  async ListDisbursements(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(fundTransactions.listDisbursements.input, inputJson);
    return canonicalJson(await listRecords(ctx, Disbursements, [input.roundId], checkPageSize(input.limit), input.cursor));
  }
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
  return stored ? { ...stored, exists: true } : { id: 'fund', contributedFen: 0, committedFen: 0, exists: false };
}

function stripExists(b: LoadedBalance): FundBalance {
  return { id: 'fund', contributedFen: b.contributedFen, committedFen: b.committedFen };
}

function requireAvailable(balance: FundBalance, poolFen: number): void {
  const available = balance.contributedFen - balance.committedFen;
  if (poolFen > available) throw ruleViolation(`the pool of ${poolFen} fen exceeds the fund's uncommitted contributions of ${available} fen`);
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

async function metricValue(ctx: Context, m: MetricInput, county: string, periodFrom: string, periodTo: string, dates: readonly string[]): Promise<number> {
  switch (m.metric) {
    case 'trade-volume': {
      let total = 0;
      for (const date of dates) total += (await getRecord(ctx, VolumeDays, [county, date]))?.volumeFen ?? 0;
      if (!Number.isSafeInteger(total)) throw ruleViolation(`trade volume of ${county} exceeds the safe integer range`);
      return total;
    }
    case 'carbon-sink': {
      const report = await getRecord(ctx, CarbonSinks, [county, periodFrom, periodTo]);
      return report?.status === 'confirmed' ? report.kgCo2e : 0;
    }
    case 'indicator':
      return m.values.find((v) => v.county === county)?.value ?? 0;
  }
}
