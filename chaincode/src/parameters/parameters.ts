import { Context } from 'fabric-contract-api';
import { getRecord } from '../kernel/state';
import { CurrentParameterSets, CurrentParameters } from './records';
import { PUBLICATION_SEVERITIES, ParameterChanges, ParameterValues } from './schemas';

/**
 * The shared parameters until a majority of counties adopts a change (version 0).
 * Publication periods: repair after at least 3 / 6 / 36 months, terms of at most 1 / 3 / 5 years
 * (minor / serious / grave).
 */
export const DEFAULT_PARAMETERS: ParameterValues = Object.freeze({
  priceDeviationBp: 5000,
  indexWindow: 20,
  indexMinSamples: 3,
  pairTradeLimit: 3,
  verificationDays: 7,
  paymentDays: 3,
  minPublicationMonths: Object.freeze({ minor: 3, serious: 6, grave: 36 }),
  maxPublicationMonths: Object.freeze({ minor: 12, serious: 36, grave: 60 }),
});

/** An open proposal may be approved on the CST day it was made and the 30 days after; then it has expired. */
export const PROPOSAL_OPEN_DAYS = 30;

export async function readCurrentParameters(ctx: Context): Promise<CurrentParameters | undefined> {
  return getRecord(ctx, CurrentParameterSets, ['current']);
}

/** The values of a stored set over the defaults (a parameter added later has its default until changed). */
export function valuesOf(current: CurrentParameters | undefined): ParameterValues {
  const v = current?.values;
  return {
    ...DEFAULT_PARAMETERS,
    ...v,
    minPublicationMonths: { ...DEFAULT_PARAMETERS.minPublicationMonths, ...v?.minPublicationMonths },
    maxPublicationMonths: { ...DEFAULT_PARAMETERS.maxPublicationMonths, ...v?.maxPublicationMonths },
  };
}

/** The shared parameters in force: one key read. */
export async function loadParameters(ctx: Context): Promise<ParameterValues> {
  return valuesOf(await readCurrentParameters(ctx));
}

/** `values` with `changes` applied; what the changes do not name keeps its value. */
export function applyChanges(values: ParameterValues, changes: ParameterChanges): ParameterValues {
  const defined = <T extends object>(o: T | undefined): Partial<T> =>
    Object.fromEntries(Object.entries(o ?? {}).filter(([, x]) => x !== undefined)) as Partial<T>;
  const { minPublicationMonths, maxPublicationMonths, ...flat } = changes;
  return {
    ...values,
    ...defined(flat),
    minPublicationMonths: { ...values.minPublicationMonths, ...defined(minPublicationMonths) },
    maxPublicationMonths: { ...values.maxPublicationMonths, ...defined(maxPublicationMonths) },
  };
}

/** What is wrong with a complete set beyond each value's own bounds (empty: it may be in force). */
export function parameterSetProblems(values: ParameterValues): string[] {
  const problems: string[] = [];
  if (values.indexMinSamples > values.indexWindow) {
    problems.push(`indexMinSamples (${values.indexMinSamples}) may not exceed indexWindow (${values.indexWindow})`);
  }
  for (const s of PUBLICATION_SEVERITIES) {
    const min = values.minPublicationMonths[s];
    const max = values.maxPublicationMonths[s];
    if (min > max) problems.push(`minPublicationMonths.${s} (${min}) may not exceed maxPublicationMonths.${s} (${max})`);
  }
  return problems;
}

/** More than half: `votes` of `registered` counties. */
export function isMajority(votes: number, registered: number): boolean {
  return votes * 2 > registered;
}

/** The smallest majority of `registered` counties. */
export function majorityOf(registered: number): number {
  return Math.floor(registered / 2) + 1;
}
