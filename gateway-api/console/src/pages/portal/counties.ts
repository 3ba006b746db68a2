import { api } from '../../api/client';

/** A county as GET /public/counties names it. */
export interface PublicCounty {
  mspId: string;
  name: string;
  chineseName?: string;
  division: string;
}

let cached: Promise<PublicCounty[]> | undefined;

/** The registered counties, asked once per page load (they change when a county joins, not by the minute). */
export function publicCounties(): Promise<PublicCounty[]> {
  cached ??= api.get<{ items: PublicCounty[] }>('public/counties').then(
    (r) => r.items,
    (e: unknown) => {
      cached = undefined;
      throw e;
    },
  );
  return cached;
}

/** A county's name in the chosen language: 两当县 in Chinese, its configured name in English, else its MSP ID. */
export function countyLabel(counties: readonly PublicCounty[], mspId: string, locale: string): string {
  const c = counties.find((x) => x.mspId === mspId);
  if (!c) return mspId;
  return locale === 'zh' ? (c.chineseName ?? c.name) : c.name;
}
