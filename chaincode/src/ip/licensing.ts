import { Context } from 'fabric-contract-api';
import { conflict, ruleViolation } from '../kernel/errors';
import { applyBasisPoints, largestRemainderSplit } from '../kernel/money';
import { getRecord, scanIndexBounded } from '../kernel/state';
import { today } from '../kernel/time';
import { License, Licenses, OwnerShare, RoyaltyPart } from './records';

/** Licenses one IP may have in all (any state): the overlap rule reads at most this many. */
export const MAX_LICENSES_PER_IP = 100;
/** Owners' approvals must hold MORE than this many basis points. */
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

/** What a license is on a day: requested, pending (effective, term not begun), active, expired or revoked. */
export function licenseStateOn(license: License, date: string): 'requested' | 'pending' | 'active' | 'expired' | 'revoked' {
  if (license.status === 'requested' || license.status === 'revoked') return license.status;
  if (date < license.termFrom) return 'pending';
  return date > license.termTo ? 'expired' : 'active';
}

/** The IP's effective licenses (bounded; refuses rather than compare against a truncated set). */
export async function effectiveLicensesOf(ctx: Context, ipId: string): Promise<License[]> {
  const { keys, truncated } = await scanIndexBounded(ctx, Licenses, 'effective', [ipId], MAX_LICENSES_PER_IP);
  if (truncated) throw conflict(`IP ${ipId} has more than ${MAX_LICENSES_PER_IP} effective licenses; refusing to compare against a partial set`);
  const out: License[] = [];
  for (const key of keys) {
    const license = await getRecord(ctx, Licenses, key);
    if (license) out.push(license);
  }
  return out;
}

/** How many licenses (any state) the IP has, refusing a new one beyond the cap. */
export async function requireLicenseCapacity(ctx: Context, ipId: string): Promise<void> {
  const { keys, truncated } = await scanIndexBounded(ctx, Licenses, 'byIp', [ipId], MAX_LICENSES_PER_IP);
  if (truncated || keys.length >= MAX_LICENSES_PER_IP) throw ruleViolation(`IP ${ipId} already has ${MAX_LICENSES_PER_IP} licenses, the most one IP may have`);
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

/**
 * The listing rule for cultural-IP derivatives: the asset's license reference names a license
 * that is active on the transaction's day, whose licensee is the asset's owner, whose
 * categories include the asset's category and whose territory includes its origin county.
 */
export async function requireListingLicense(
  ctx: Context,
  asset: { licenseRef?: string; ownerSubjectId: string; category: string; originCounty: string },
): Promise<void> {
  if (!asset.licenseRef) throw ruleViolation('a cultural-IP derivative must refer to its license (licenseRef)');
  const license = await getRecord(ctx, Licenses, [asset.licenseRef]);
  if (!license) throw ruleViolation(`license ${asset.licenseRef} does not exist`);
  const date = today(ctx);
  if (!activeOn(license, date)) throw ruleViolation(`license ${license.id} is not active on ${date} (${licenseStateOn(license, date)})`);
  if (license.licenseeSubjectId !== asset.ownerSubjectId)
    throw ruleViolation(`license ${license.id} is held by ${license.licenseeSubjectId}, not by the seller ${asset.ownerSubjectId}`);
  if (!license.categories.includes(asset.category)) throw ruleViolation(`license ${license.id} does not cover the category ${asset.category}`);
  if (!license.territory.includes(asset.originCounty)) throw ruleViolation(`license ${license.id} does not cover the county ${asset.originCounty}`);
}
