import { Context } from 'fabric-contract-api';
import { getCounty } from '../counties/counties';
import { divisionOf } from '../kernel/credit-code';
import { forbidden, notFound } from '../kernel/errors';
import { Caller } from '../kernel/identity';
import { getRecord } from '../kernel/state';
import { Subject, Subjects } from './records';

/** The prefecture (地级) a six-digit county-level division belongs to: its first four digits followed by 00. */
export function prefectureOf(division: string): string {
  return `${division.slice(0, 4)}00`;
}

/**
 * Whether a county whose division code is `countyDivision` may register an enterprise of
 * `enterpriseDivision` (the credit code's positions 3–8): the division's own county, or
 * the prefecture it belongs to (DESIGN.md "Trust between counties").
 */
export function registersDivision(countyDivision: string, enterpriseDivision: string): boolean {
  return countyDivision === enterpriseDivision || countyDivision === prefectureOf(enterpriseDivision);
}

/**
 * FORBIDDEN unless the caller's county may register the enterprise `creditCode`. The
 * county's division comes from its `county` record (Counties:Register), so a county that
 * has not registered itself registers no enterprise: its division is not known.
 */
export async function requireHomeCountyOf(ctx: Context, caller: Caller, creditCode: string): Promise<void> {
  const division = divisionOf(creditCode);
  const county = await getCounty(ctx, caller.mspId);
  if (!county) throw forbidden(`county ${caller.mspId} is not registered (Counties:Register), so it registers no enterprise: its division is not known`);
  if (!registersDivision(county.division, division)) {
    throw forbidden(
      `enterprise ${creditCode} belongs to division ${division}; it is registered by the county of that division or of prefecture ${prefectureOf(division)}, not by ${caller.mspId} (division ${county.division})`,
    );
  }
}

/** A registered subject, or NOT_FOUND: credit events, blacklist entries and case leads name registered subjects only. */
export async function requireRegisteredSubject(ctx: Context, subjectId: string): Promise<Subject> {
  const subject = await getRecord(ctx, Subjects, [subjectId]);
  if (!subject) throw notFound(`subject ${subjectId} is not registered; its home county registers it first (Subjects:RegisterEnterprise / RegisterIndividual)`);
  return subject;
}
