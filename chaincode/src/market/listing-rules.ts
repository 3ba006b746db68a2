import { Context } from 'fabric-contract-api';
import { ruleViolation } from '../kernel/errors';
import { getRecord } from '../kernel/state';
import { EvidenceRecords } from '../evidence/records';
import { requireListingLicense } from '../ip/licensing';
import { Asset } from './records';
import { AssetKind } from './schemas';

/**
 * Listing rules: checked whenever an asset is registered or put up for sale again.
 * A rule throws RULE_VIOLATION when the asset may not be listed. Rules are plain
 * module functions in a registry per asset kind, so other domains extend the
 * registry (the IP-licensing work replaces licenseCheck with a lookup of an active
 * license covering the category and the county).
 */
export type ListingRule = (ctx: Context, asset: Asset) => Promise<void>;

/** Eco premium (生态溢价) of at least 30%: price ≥ cost × 1.3, as price × 100 ≥ cost × 130 in integers. */
export async function ecoPremiumRule(_ctx: Context, asset: Asset): Promise<void> {
  if (BigInt(asset.priceFen) * 100n < BigInt(asset.costFen) * 130n) {
    throw ruleViolation(`an eco product must carry an eco premium of at least 30%: price ${asset.priceFen} fen is below cost ${asset.costFen} fen × 1.3`);
  }
}

/** Eco products refer to certification evidence that is anchored on the ledger. */
export async function certificationRule(ctx: Context, asset: Asset): Promise<void> {
  if (asset.certifications.length === 0) {
    throw ruleViolation('an eco product must refer to certification evidence (soil test, production record, organic certificate or carbon footprint)');
  }
  for (const c of asset.certifications) {
    if (!(await getRecord(ctx, EvidenceRecords, [c.sha256]))) {
      throw ruleViolation(`certification evidence ${c.sha256} (${c.kind}) is not anchored on the ledger`);
    }
  }
}

/** Shape of a license reference until the IP library defines its license IDs. */
export const LICENSE_REF_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{2,127}$/;

/**
 * A cultural-IP derivative needs a license: the reference is well formed and names a license
 * of the IP library active on the transaction's day, held by the owner, covering the category
 * and the origin county (ip/licensing.ts requireListingLicense).
 */
export async function licenseCheck(ctx: Context, asset: Asset): Promise<void> {
  if (asset.licenseRef === undefined || asset.licenseRef === '') {
    throw ruleViolation('a cultural-IP derivative must refer to its license (licenseRef)');
  }
  if (!LICENSE_REF_PATTERN.test(asset.licenseRef)) {
    throw ruleViolation(`license reference ${JSON.stringify(asset.licenseRef)} is malformed`);
  }
  await requireListingLicense(ctx, asset);
}

/** Only IP derivatives carry a license reference. */
export async function noStrayLicenseRule(_ctx: Context, asset: Asset): Promise<void> {
  if (asset.licenseRef !== undefined) throw ruleViolation(`a ${asset.kind} does not take a license reference`);
}

export const LISTING_RULES: Readonly<Record<AssetKind, readonly ListingRule[]>> = {
  'eco-product': [noStrayLicenseRule, ecoPremiumRule, certificationRule],
  'ip-derivative': [licenseCheck],
  'rural-resource': [noStrayLicenseRule],
};

export async function checkListingRules(ctx: Context, asset: Asset): Promise<void> {
  for (const rule of LISTING_RULES[asset.kind]) await rule(ctx, asset);
}
