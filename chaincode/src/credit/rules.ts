/**
 * THE credit rules, as data. Everything that decides a credit class and the first-violation
 * waiver is in this file, and how a blacklist entry's publication periods turn into dates; the
 * contracts only apply it. The periods themselves (minimum before repair, maximum term, by
 * severity) bind every county, so they are shared parameters (parameters/, changed by a majority
 * of counties; defaults in DEFAULT_PARAMETERS). Pure functions, integers and CST calendar dates only.
 */
import { addDays } from '../kernel/time';
import { Measure, Severity } from './schemas';

/** Look-back window of the credit class: events dated within the last 365 CST days (today included). */
export const LOOKBACK_DAYS = 365;

/** Penalty points of a violation by severity (warnings under 首违不罚 score 0). */
export const SEVERITY_POINTS: Readonly<Record<Severity, number>> = { minor: 1, serious: 3, grave: 10 };

export type CreditClass = 'A' | 'B' | 'C' | 'D';

/**
 * 信用风险分类. The first row whose every stated condition holds gives the class.
 *   points      = Σ SEVERITY_POINTS of penalised violations dated in the window
 *   fulfilments = fulfilment (履约) events dated in the window
 *   blacklisted = the subject has a blacklist entry in force today (any measure)
 *
 * | class | when                                        | meaning            |
 * | ----- | ------------------------------------------- | ------------------ |
 * | D     | blacklisted                                 | high risk          |
 * | D     | points ≥ 10                                 | high risk          |
 * | C     | points ≥ 3                                  | elevated risk      |
 * | B     | points ≥ 1                                  | ordinary risk      |
 * | A     | points = 0 and fulfilments ≥ 3              | low risk           |
 * | B     | otherwise (no record yet, few fulfilments)  | ordinary risk      |
 */
export interface CreditClassRule {
  readonly creditClass: CreditClass;
  readonly blacklisted?: true;
  readonly minPoints?: number;
  readonly maxPoints?: number;
  readonly minFulfilments?: number;
  readonly label: string;
}

export const CREDIT_CLASS_RULES: readonly CreditClassRule[] = [
  { creditClass: 'D', blacklisted: true, label: 'blacklist entry in force' },
  { creditClass: 'D', minPoints: 10, label: '10 or more penalty points in the window' },
  { creditClass: 'C', minPoints: 3, label: '3 to 9 penalty points in the window' },
  { creditClass: 'B', minPoints: 1, label: '1 or 2 penalty points in the window' },
  { creditClass: 'A', maxPoints: 0, minFulfilments: 3, label: 'no penalty points and at least 3 fulfilments in the window' },
  { creditClass: 'B', label: 'no penalty points, fewer than 3 fulfilments in the window' },
];

/** 首违不罚: a subject's first violation, if minor and without harmful consequence, is a warning only. */
export const FIRST_VIOLATION_WAIVER = { severity: 'minor' as Severity, withoutHarmfulConsequence: true, priorViolations: 0 } as const;

/** Publication periods (months) by severity: the shared parameters' `minPublicationMonths` or `maxPublicationMonths`. */
export type PublicationMonths = Readonly<Record<Severity, number>>;

/** Severities from least to most grave. */
export const SEVERITY_ORDER: readonly Severity[] = ['minor', 'serious', 'grave'];

/** Violations recorded by the trade flow: a default of the party at fault on cancellation. */
export const ORDER_DEFAULT = { kind: 'default' as const, severity: 'minor' as Severity, harmfulConsequence: false };

/** Most open (published, not repaired or withdrawn) entries a subject may carry at once; keeps its standing record bounded. */
export const MAX_OPEN_ENTRIES_PER_SUBJECT = 50;

export interface WindowCounts {
  readonly points: number;
  readonly fulfilments: number;
  readonly minor: number;
  readonly serious: number;
  readonly grave: number;
}

export function classify(counts: WindowCounts, blacklisted: boolean): { creditClass: CreditClass; rule: number; label: string } {
  for (let i = 0; i < CREDIT_CLASS_RULES.length; i++) {
    const r = CREDIT_CLASS_RULES[i] as CreditClassRule;
    if (r.blacklisted && !blacklisted) continue;
    if (r.minPoints !== undefined && counts.points < r.minPoints) continue;
    if (r.maxPoints !== undefined && counts.points > r.maxPoints) continue;
    if (r.minFulfilments !== undefined && counts.fulfilments < r.minFulfilments) continue;
    return { creditClass: r.creditClass, rule: i + 1, label: r.label };
  }
  throw new Error('internal: the credit class table has no default row');
}

/** First day of the look-back window ending `today`. */
export function windowStart(today: string): string {
  return addDays(today, -(LOOKBACK_DAYS - 1));
}

export function isWaivedFirstViolation(severity: Severity, harmfulConsequence: boolean, priorViolations: number): boolean {
  return (
    severity === FIRST_VIOLATION_WAIVER.severity &&
    (!FIRST_VIOLATION_WAIVER.withoutHarmfulConsequence || !harmfulConsequence) &&
    priorViolations <= FIRST_VIOLATION_WAIVER.priorViolations
  );
}

export function gravest(severities: readonly Severity[]): Severity {
  let best = 0;
  for (const s of severities) best = Math.max(best, SEVERITY_ORDER.indexOf(s));
  return SEVERITY_ORDER[best] as Severity;
}

/** Adds calendar months to a YYYY-MM-DD date; a day past the end of the target month becomes its last day. */
export function addMonths(date: string, months: number): string {
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7)) - 1 + months;
  const d = Number(date.slice(8, 10));
  const year = y + Math.floor(m / 12);
  const month = ((m % 12) + 12) % 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return `${String(year).padStart(4, '0')}-${String(month + 1).padStart(2, '0')}-${String(Math.min(d, lastDay)).padStart(2, '0')}`;
}

/** The first CST day on which repair of an entry of `severity` published from `startDate` may be approved. */
export function earliestRepairDate(startDate: string, severity: Severity, minPublicationMonths: PublicationMonths): string {
  return addMonths(startDate, minPublicationMonths[severity]);
}

/** The last end date an entry of `severity` starting on `startDate` may have: its maximum term after the start. */
export function latestEndDate(startDate: string, severity: Severity, maxPublicationMonths: PublicationMonths): string {
  return addMonths(startDate, maxPublicationMonths[severity]);
}

/** An entry restricts on the CST days from its start date to its end date, both included. */
export function inForce(entry: { readonly startDate: string; readonly endDate: string }, today: string): boolean {
  return entry.startDate <= today && today <= entry.endDate;
}

export function restricts(
  entry: { readonly startDate: string; readonly endDate: string; readonly measures: readonly Measure[] },
  measure: Measure,
  today: string,
): boolean {
  return entry.measures.includes(measure) && inForce(entry, today);
}
