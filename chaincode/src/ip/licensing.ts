import { Context } from 'fabric-contract-api';
import { conflict, ruleViolation } from '../kernel/errors';
import { applyBasisPoints, largestRemainderSplit } from '../kernel/money';
import { getRecord, scanIndexBounded } from '../kernel/state';
import { today } from '../kernel/time';
import { licensingRestriction } from './licensing-eligibility';
import { License, Licenses, OwnerShare, RoyaltyPart } from './records';

/** Open (requested) license requests one IP may have at once; rejected and withdrawn ones no longer count. */
export const MAX_OPEN_REQUESTS_PER_IP = 100;
/** Effective licenses one IP may have (revoked ones do not count): the overlap rule reads at most this many. */
export const MAX_EFFECTIVE_LICENSES_PER_IP = 100;
/** Owners' approvals (and rejections) must hold MORE than this many basis points. */
export const APPROVAL_THRESHOLD_BP = 5000;

/** Whether two licenses share a territory county and a day of their terms (inclusive CST days). */
export function licensesOverlap(a: Pick<License, 'territory' | 'termFrom' | 'termTo'>, b: Pick<License, 'territory' | 'termFrom' | 'termTo'>): boolean {
  if (a.termFrom > b.termTo || b.termFrom > a.termTo) return false;
  return a.territory.some((c) => b.territory.includes(c));
}

/** Overlapping licenses conflict when either is exclusive. */
export function licensesConflict(
  a: Pick<License, 'territory' | 'termFrom' | 'termTo' | 'exclusive'>,
  b: Pick<License, 'territory' | 'termFrom' | 'termTo' | 'exclusive'>,
): boolean {
  return (a.exclusive || b.exclusive) && licensesOverlap(a, b);
}

/** Active on a day: effective (approved, not revoked) and the day within its term. Expiry needs no transaction. */
export function activeOn(license: License, date: string): boolean {
  return license.status === 'effective' && license.termFrom <= date && date <= license.termTo;
}

/** What a license is on a day: requested, pending (effective, term not begun), active, expired, revoked, rejected or withdrawn. */
export function licenseStateOn(license: License, date: string): 'requested' | 'pending' | 'active' | 'expired' | 'revoked' | 'rejected' | 'withdrawn' {
  if (license.status !== 'effective') return license.status;
  if (date < license.termFrom) return 'pending';
  return date > license.termTo ? 'expired' : 'active';
}

/** The IP's effective licenses (bounded; refuses rather than compare against a truncated set). */
export async function effectiveLicensesOf(ctx: Context, ipId: string): Promise<License[]> {
  const { keys, truncated } = await scanIndexBounded(ctx, Licenses, 'effective', [ipId], MAX_EFFECTIVE_LICENSES_PER_IP);
  if (truncated) throw conflict(`IP ${ipId} has more than ${MAX_EFFECTIVE_LICENSES_PER_IP} effective licenses; refusing to compare against a partial set`);
  const out: License[] = [];
  for (const key of keys) {
    const license = await getRecord(ctx, Licenses, key);
    if (license) out.push(license);
  }
  return out;
}

/** Refuses a new request when the IP already has the most open requests it may have (index keys only, bounded). */
export async function requireRequestCapacity(ctx: Context, ipId: string): Promise<void> {
  const { keys, truncated } = await scanIndexBounded(ctx, Licenses, 'open', [ipId], MAX_OPEN_REQUESTS_PER_IP);
  if (truncated || keys.length >= MAX_OPEN_REQUESTS_PER_IP)
    throw ruleViolation(
      `IP ${ipId} already has ${MAX_OPEN_REQUESTS_PER_IP} open license requests, the most one IP may have; owners may reject them or licensees withdraw them`,
    );
}

/** Refuses to make one more license effective when the IP already has the most effective licenses it may have. */
export function requireEffectiveCapacity(ipId: string, effective: readonly License[]): void {
  if (effective.length >= MAX_EFFECTIVE_LICENSES_PER_IP)
    throw ruleViolation(`IP ${ipId} already has ${MAX_EFFECTIVE_LICENSES_PER_IP} effective licenses, the most one IP may have`);
}

/** Refuses a license that conflicts with an effective one of the same IP (exclusive overlap rules). */
export function refuseConflicts(license: Pick<License, 'id' | 'territory' | 'termFrom' | 'termTo' | 'exclusive'>, effective: readonly License[]): void {
  for (const other of effective) {
    if (other.id === license.id) continue;
    if (licensesConflict(license, other)) {
      const which =
        license.exclusive && other.exclusive
          ? 'overlaps the exclusive license'
          : license.exclusive
            ? 'is exclusive but overlaps the license'
            : 'overlaps the exclusive license';
      throw ruleViolation(`the license ${which} ${other.id} (territory ${other.territory.join(',')}, ${other.termFrom}..${other.termTo})`);
    }
  }
}

/** Royalty due for a period: floor(sales × rate / 10000) + fixed fee. */
export function royaltyDue(salesFen: number, royaltyRateBp: number, fixedFeeFen: number): number {
  const due = applyBasisPoints(salesFen, royaltyRateBp) + fixedFeeFen;
  if (!Number.isSafeInteger(due)) throw ruleViolation('the royalty due exceeds the safe integer range');
  return due;
}

/** Splits the royalty among co-owners by share, largest remainder: the parts sum exactly to the royalty. */
export function splitRoyalty(dueFen: number, owners: readonly OwnerShare[]): RoyaltyPart[] {
  const amounts = largestRemainderSplit(
    dueFen,
    owners.map((o) => o.shareBp),
  );
  return owners.map((o, i) => ({ county: o.county, shareBp: o.shareBp, amountFen: amounts[i] as number }));
}

export interface DerivativeRef {
  readonly licenseRef?: string;
  readonly ownerSubjectId: string;
  readonly category: string;
  readonly originCounty: string;
}

/**
 * Why a cultural-IP derivative may not be listed, ordered or settled now, or undefined when it
 * may: its license reference must name a license active on the transaction's CST day (effective,
 * not revoked, within its term), held by the asset's owner, covering its category and its origin
 * county, and the licensee must not be restricted from licensing (blacklist measure `licensing`).
 * At most two key reads (the license, the licensee's blacklist standing).
 */
export async function derivativeLicenseBar(ctx: Context, asset: DerivativeRef): Promise<string | undefined> {
  if (!asset.licenseRef) return 'a cultural-IP derivative must refer to its license (licenseRef)';
  const license = await getRecord(ctx, Licenses, [asset.licenseRef]);
  if (!license) return `license ${asset.licenseRef} does not exist`;
  const date = today(ctx);
  if (!activeOn(license, date)) return `license ${license.id} is not active on ${date} (${licenseStateOn(license, date)})`;
  if (license.licenseeSubjectId !== asset.ownerSubjectId)
    return `license ${license.id} is held by ${license.licenseeSubjectId}, not by the seller ${asset.ownerSubjectId}`;
  if (!license.categories.includes(asset.category)) return `license ${license.id} does not cover the category ${asset.category}`;
  if (!license.territory.includes(asset.originCounty)) return `license ${license.id} does not cover the county ${asset.originCounty}`;
  const restriction = await licensingRestriction(ctx, license.licenseeSubjectId);
  if (restriction !== undefined) return `licensee ${license.licenseeSubjectId} is restricted from licensing: ${restriction}`;
  return undefined;
}

/** derivativeLicenseBar, refusing with RULE_VIOLATION: the rule for listing, ordering and settling a derivative. */
export async function requireListingLicense(ctx: Context, asset: DerivativeRef): Promise<void> {
  const bar = await derivativeLicenseBar(ctx, asset);
  if (bar !== undefined) throw ruleViolation(bar);
}
