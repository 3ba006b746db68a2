import { Context, Info, Transaction } from 'fabric-contract-api';
import { canonicalJson } from '../kernel/canonical-json';
import { CountyContract } from '../kernel/contract-base';
import { conflict, forbidden, ruleViolation } from '../kernel/errors';
import { emit } from '../kernel/events';
import { callerOf } from '../kernel/identity';
import { mustGetRecord, putRecord, scanBounded } from '../kernel/state';
import { txTime } from '../kernel/time';
import { parseInput } from '../kernel/validate';
import { countiesTransactions } from './transactions';
import { rolesOf } from '../membership/access';
import { Counties, County, MAX_COUNTIES, getCounty } from './counties';

export const CountiesEvents = {
  CountyRegistered: 'counties.CountyRegistered',
} as const;

@Info({ title: 'Counties', description: 'The registry of participating counties: the set fund majorities, IP co-ownership and tax sharing are counted over' })
export class CountiesContract extends CountyContract {
  constructor() {
    super('Counties');
  }

  /** A county admin registers its own county (the caller's MSP) once. */
  @Transaction()
  async Register(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(countiesTransactions.register.input, inputJson);
    const caller = callerOf(ctx);
    if (!caller.isCountyAdmin && (await rolesOf(ctx, caller, ['county-admin'])).length === 0) {
      throw forbidden(`${caller.member} of ${caller.mspId} is not a county admin`);
    }
    if (await getCounty(ctx, caller.mspId)) throw conflict(`county ${caller.mspId} is already registered`);
    const { items, truncated } = await scanBounded(ctx, Counties, [], MAX_COUNTIES);
    if (truncated || items.length >= MAX_COUNTIES) throw ruleViolation(`at most ${MAX_COUNTIES} counties may be registered`);
    // A division code names one county: enterprises are registered by the county of their code's division.
    const holder = items.find((c) => c.division === input.division);
    if (holder) throw conflict(`division ${input.division} is already registered by ${holder.mspId}`);
    const county: County = {
      mspId: caller.mspId,
      name: input.name,
      division: input.division,
      ...(input.creditCode ? { creditCode: input.creditCode } : {}),
      registeredBy: caller.member,
      registeredAt: txTime(ctx).iso,
      registerTxId: ctx.stub.getTxID(),
    };
    await putRecord(ctx, Counties, county);
    emit(ctx, CountiesEvents.CountyRegistered, { mspId: county.mspId, division: county.division });
    return canonicalJson(county);
  }

  @Transaction(false)
  async Get(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(countiesTransactions.get.input, inputJson);
    return canonicalJson(await mustGetRecord(ctx, Counties, [input.mspId], 'county'));
  }

  /** Every registered county (at most MAX_COUNTIES, so one answer). */
  @Transaction(false)
  async List(ctx: Context): Promise<string> {
    const { items } = await scanBounded(ctx, Counties, [], MAX_COUNTIES);
    return canonicalJson({ items });
  }
}
