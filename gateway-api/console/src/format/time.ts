/** Dates and times are shown in China Standard Time (UTC+8), whatever the browser's own zone. */
const CST = 'Asia/Shanghai';

const dateTime = new Intl.DateTimeFormat('sv-SE', {
  timeZone: CST,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
});
const dateOnly = new Intl.DateTimeFormat('sv-SE', { timeZone: CST, year: 'numeric', month: '2-digit', day: '2-digit' });

/** An ISO timestamp (or epoch ms) as "2026-12-01 22:49:05 CST"; a value that is no time is shown as it is. */
export function cstDateTime(value: string | number | undefined | null): string {
  if (value === undefined || value === null || value === '') return '—';
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? String(value) : `${dateTime.format(d)} CST`;
}

/** The CST calendar date of a timestamp, "2026-12-01". */
export function cstDate(value: string | number | Date): string {
  return dateOnly.format(new Date(value));
}

/** Today's CST date: the default of date fields. */
export const todayCst = (): string => cstDate(Date.now());
