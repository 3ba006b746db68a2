import { z } from 'zod';
import { addDays } from './time';

/** The one calendar-date schema: a CST day, YYYY-MM-DD, that exists on the calendar, 2000–2099. */
export const calendarDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .refine((d) => {
    const ms = Date.parse(`${d}T00:00:00Z`);
    return Number.isFinite(ms) && new Date(ms).toISOString().slice(0, 10) === d && d >= '2000-01-01' && d <= '2099-12-31';
  }, 'must be a calendar date between 2000-01-01 and 2099-12-31');

/** Longest period / statement range in days, so a period's reads are bounded by days × counties records. */
export const MAX_PERIOD_DAYS = 366;

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** Every CST day from `from` to `to` inclusive (callers' schemas cap the length). */
export function datesOf(from: string, to: string): string[] {
  const n = daysBetween(from, to);
  const out: string[] = [];
  for (let i = 0; i <= n; i++) out.push(addDays(from, i));
  return out;
}

/** Adds the "to not before from" and the length cap to a shape with two date fields. */
export function periodRefinement(fromKey: string, toKey: string, maxDays = MAX_PERIOD_DAYS) {
  return (v: Record<string, unknown>, ctx: z.RefinementCtx): void => {
    const from = v[fromKey];
    const to = v[toKey];
    if (typeof from !== 'string' || typeof to !== 'string') return;
    if (to < from) ctx.addIssue({ code: 'custom', path: [toKey], message: `must not be before ${fromKey}` });
    else if (daysBetween(from, to) + 1 > maxDays) ctx.addIssue({ code: 'custom', path: [toKey], message: `the period may be at most ${maxDays} days` });
  };
}
