import { Context, Info, Transaction } from 'fabric-contract-api';
import { canonicalJson } from '../kernel/canonical-json';
import { CountyContract } from '../kernel/contract-base';
import { conflict, forbidden, invalidArgument, ruleViolation } from '../kernel/errors';
import { emit } from '../kernel/events';
import { checkPageSize, listByIndex, listRecords, mustGetRecord, putRecord } from '../kernel/state';
import { today, txTime } from '../kernel/time';
import { parseInput } from '../kernel/validate';
import { taxTransactions } from './transactions';
import { requireRole } from '../membership/access';
import { getCounty, requireKnownCounty } from '../counties/counties';
import { TaxAgreement, TaxAgreements, TaxEntries } from './records';
import { datesOf } from '../kernel/dates';
import { fenBig, fenTotal } from '../kernel/money';
import { DEFAULT_TAX_RATE_BP, MAX_AGREEMENTS_PER_PAIR, agreementsOfPair, countyPair, taxOfDay } from './trade-tax';
import { SummedEntriesBudget } from '../kernel/summed-entries';

export const TaxEvents = {
  AgreementProposed: 'tax.AgreementProposed',
  AgreementApproved: 'tax.AgreementApproved',
  AgreementEffective: 'tax.AgreementEffective',
} as const;

@Info({ title: 'Tax', description: 'Tax sharing between producing and consuming counties (税收分成): bilateral agreements, per-trade tax, statements' })
export class TaxContract extends CountyContract {
  constructor() {
    super('Tax');
  }

  /** Finance of a registered county proposes an agreement with another registered county. */
  @Transaction()
  async ProposeAgreement(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(taxTransactions.proposeAgreement.input, inputJson);
    const finance = await requireRole(ctx, 'finance');
    if (!(await getCounty(ctx, finance.mspId))) throw forbidden(`${finance.mspId} is not a registered county`);
    if (input.counterpartCounty === finance.mspId) throw invalidArgument('an agreement is between two different counties');
    await requireKnownCounty(ctx, input.counterpartCounty, 'counterpartCounty');
    const time = txTime(ctx);
    if (input.validTo < today(ctx)) throw ruleViolation(`an agreement ending ${input.validTo} would never be in force`);
    const [countyA, countyB] = countyPair(finance.mspId, input.counterpartCounty);
    const existing = await agreementsOfPair(ctx, countyA, countyB);
    if (existing.length >= MAX_AGREEMENTS_PER_PAIR)
      throw ruleViolation(`${countyA} and ${countyB} already have ${MAX_AGREEMENTS_PER_PAIR} agreements, the most a pair may have`);
    const txId = ctx.stub.getTxID();
    const agreement: TaxAgreement = {
      id: `ta-${txId.slice(0, 32)}`,
      countyA,
      countyB,
      taxRateBp: input.taxRateBp,
      originShareBp: input.originShareBp,
      validFrom: input.validFrom,
      validTo: input.validTo,
      ...(input.note ? { note: input.note } : {}),
      status: 'proposed',
      approvals: [],
      proposedBy: { mspId: finance.mspId, member: finance.member },
      proposedAt: time.iso,
      proposeTxId: txId,
    };
    refuseOverlap(agreement, existing);
    await putRecord(ctx, TaxAgreements, agreement);
    emit(ctx, TaxEvents.AgreementProposed, {
      agreementId: agreement.id,
      countyA,
      countyB,
      taxRateBp: agreement.taxRateBp,
      originShareBp: agreement.originShareBp,
      validFrom: agreement.validFrom,
      validTo: agreement.validTo,
    });
    return canonicalJson(agreement);
  }

  /** Finance of each of the two counties approves, once each; with both approvals the agreement is in force. */
  @Transaction()
  async ApproveAgreement(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(taxTransactions.approveAgreement.input, inputJson);
    const finance = await requireRole(ctx, 'finance');
    const previous = await mustGetRecord(ctx, TaxAgreements, [input.agreementId], 'tax agreement');
    if (finance.mspId !== previous.countyA && finance.mspId !== previous.countyB) {
      throw forbidden(`agreement ${previous.id} is approved by finance of ${previous.countyA} and ${previous.countyB}, not ${finance.mspId}`);
    }
    if (previous.approvals.some((a) => a.county === finance.mspId)) throw conflict(`${finance.mspId} has already approved agreement ${previous.id}`);
    if (previous.status !== 'proposed') throw conflict(`agreement ${previous.id} is already ${previous.status}`);
    const time = txTime(ctx);
    const approvals = [
      ...previous.approvals,
      { county: finance.mspId, by: { mspId: finance.mspId, member: finance.member }, at: time.iso, txId: ctx.stub.getTxID() },
    ];
    const complete = approvals.length === 2;
    const agreement: TaxAgreement = { ...previous, approvals, ...(complete ? { status: 'effective' as const, effectiveAt: time.iso } : {}) };
    if (complete) refuseOverlap(agreement, await agreementsOfPair(ctx, previous.countyA, previous.countyB));
    await putRecord(ctx, TaxAgreements, agreement, previous);
    emit(ctx, complete ? TaxEvents.AgreementEffective : TaxEvents.AgreementApproved, {
      agreementId: agreement.id,
      county: finance.mspId,
      status: agreement.status,
    });
    return canonicalJson(agreement);
  }

  @Transaction(false)
  async GetAgreement(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(taxTransactions.getAgreement.input, inputJson);
    return canonicalJson(await mustGetRecord(ctx, TaxAgreements, [input.agreementId], 'tax agreement'));
  }

  @Transaction(false)
  async ListAgreements(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(taxTransactions.listAgreements.input, inputJson);
    const [a, b] = countyPair(input.countyA, input.countyB);
    return canonicalJson(await listByIndex(ctx, TaxAgreements, 'byPair', [a, b], checkPageSize(input.limit), input.cursor));
  }

  /**
   * A county pair's statement for a range of days (≤ 366): cross-region trades between them,
   * their price, the tax and each county's share, summed from the tax entries kept at settlement.
   */
  @Transaction(false)
  async Statement(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(taxTransactions.statement.input, inputJson);
    const [a, b] = countyPair(input.countyA, input.countyB);
    if (a === b) throw invalidArgument('a statement is for two different counties');
    const days = [];
    let trades = 0;
    const sums = { priceFen: 0n, taxFen: 0n, shareAFen: 0n, shareBFen: 0n };
    const budget = new SummedEntriesBudget();
    for (const date of datesOf(input.from, input.to)) {
      const day = await taxOfDay(ctx, a, b, date, budget);
      if (!day) continue;
      const amounts = {
        priceFen: fenTotal(day.priceFen),
        taxFen: fenTotal(day.taxFen),
        shareAFen: fenTotal(day.shareAFen),
        shareBFen: fenTotal(day.shareBFen),
      };
      days.push({ date, trades: day.trades, ...amounts });
      trades += day.trades;
      for (const k of Object.keys(sums) as Array<keyof typeof sums>) sums[k] += fenBig(amounts[k]);
    }
    const totals = {
      priceFen: fenTotal(sums.priceFen),
      taxFen: fenTotal(sums.taxFen),
      shareAFen: fenTotal(sums.shareAFen),
      shareBFen: fenTotal(sums.shareBFen),
    };
    return canonicalJson({ countyA: a, countyB: b, from: input.from, to: input.to, trades, ...totals, days, defaultTaxRateBp: DEFAULT_TAX_RATE_BP });
  }

  /** The tax entries (one per settled cross-region trade) of a county pair on one day. */
  @Transaction(false)
  async ListEntries(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(taxTransactions.listEntries.input, inputJson);
    const [a, b] = countyPair(input.countyA, input.countyB);
    return canonicalJson(await listRecords(ctx, TaxEntries, [a, b, input.date], checkPageSize(input.limit), input.cursor));
  }
}

/** Effective agreements of a pair never overlap in validity days. */
function refuseOverlap(agreement: TaxAgreement, others: readonly TaxAgreement[]): void {
  for (const other of others) {
    if (other.id === agreement.id || other.status !== 'effective') continue;
    if (other.validFrom <= agreement.validTo && agreement.validFrom <= other.validTo) {
      throw ruleViolation(
        `agreement ${other.id} between ${other.countyA} and ${other.countyB} is already in force ${other.validFrom}..${other.validTo}, overlapping ${agreement.validFrom}..${agreement.validTo}`,
      );
    }
  }
}
