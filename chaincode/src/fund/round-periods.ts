import { Context } from 'fabric-contract-api';
import { MAX_PERIOD_DAYS } from '../kernel/dates';
import { deleteRecord, getRecord, putRecord } from '../kernel/state';
import { addDays } from '../kernel/time';
import { CountyRoundPeriods, CountyRoundPeriodsRecords, Round, RoundPeriod } from './records';

/**
 * The periods of a county's live rounds (proposed or finalized: not withdrawn), kept per county
 * and year of the period's last day. A live round's period is at most MAX_PERIOD_DAYS long, so a
 * round overlapping [from, to] ends between `from` and `to` + MAX_PERIOD_DAYS − 1: at most three
 * years, three key reads per county. Live periods of a county never overlap, so a year's record
 * holds at most 366 of them.
 */
export interface LivePeriods {
  readonly county: string;
  /** The year records read, by year (undefined: no live round of the county ends that year). */
  readonly byYear: ReadonlyMap<string, CountyRoundPeriods | undefined>;
}

function yearsCovering(periodFrom: string, periodTo: string): string[] {
  const first = Number(periodFrom.slice(0, 4));
  const last = Number(addDays(periodTo, MAX_PERIOD_DAYS - 1).slice(0, 4));
  const years: string[] = [];
  for (let y = first; y <= last; y++) years.push(String(y));
  return years;
}

/** Reads the records that hold every live round of the county that could overlap [periodFrom, periodTo]. */
export async function livePeriodsOf(ctx: Context, county: string, periodFrom: string, periodTo: string): Promise<LivePeriods> {
  const byYear = new Map<string, CountyRoundPeriods | undefined>();
  for (const year of yearsCovering(periodFrom, periodTo)) byYear.set(year, await getRecord(ctx, CountyRoundPeriodsRecords, [county, year]));
  return { county, byYear };
}

/** A live round of the county (other than `exceptRoundId`) sharing a day with [periodFrom, periodTo], if any. */
export function overlappingRound(live: LivePeriods, periodFrom: string, periodTo: string, exceptRoundId?: string): RoundPeriod | undefined {
  for (const record of live.byYear.values()) {
    for (const r of record?.rounds ?? []) if (r.roundId !== exceptRoundId && r.periodFrom <= periodTo && periodFrom <= r.periodTo) return r;
  }
  return undefined;
}

/** Adds a newly proposed round to the county's record for its last day's year (read by `livePeriodsOf` in this transaction). */
export async function withRound(ctx: Context, live: LivePeriods, round: Pick<Round, 'id' | 'periodFrom' | 'periodTo'>): Promise<void> {
  const year = round.periodTo.slice(0, 4);
  if (!live.byYear.has(year)) throw new Error(`internal: the round periods of ${live.county} for ${year} were not read`);
  const previous = live.byYear.get(year);
  const rounds = [...(previous?.rounds ?? []), { roundId: round.id, periodFrom: round.periodFrom, periodTo: round.periodTo }].sort((a, b) =>
    a.periodFrom < b.periodFrom ? -1 : a.periodFrom > b.periodFrom ? 1 : 0,
  );
  await putRecord(ctx, CountyRoundPeriodsRecords, { county: live.county, year, rounds }, previous);
}

/** Takes a withdrawn round out of the county's live periods. */
export async function withoutRound(ctx: Context, county: string, round: Pick<Round, 'id' | 'periodTo'>): Promise<void> {
  const year = round.periodTo.slice(0, 4);
  const previous = await getRecord(ctx, CountyRoundPeriodsRecords, [county, year]);
  if (!previous) return;
  const rounds = previous.rounds.filter((r) => r.roundId !== round.id);
  if (rounds.length === previous.rounds.length) return;
  if (rounds.length === 0) await deleteRecord(ctx, CountyRoundPeriodsRecords, previous);
  else await putRecord(ctx, CountyRoundPeriodsRecords, { county, year, rounds }, previous);
}
