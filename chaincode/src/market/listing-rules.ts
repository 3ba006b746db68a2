import { Context } from 'fabric-contract-api';
import { ruleViolation } from '../kernel/errors';
import { getRecord } from '../kernel/state';
import { EvidenceRecords } from '../evidence/records';
import { derivativeLicenseBar, requireListingLicense } from '../ip/licensing';
import { Asset, Assets, Order } from './records';
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
 * and the origin county, whose licensee is not restricted from licensing
 * (ip/licensing.ts requireListingLicense).
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

/**
 * Why an asset may not be sold now, or undefined when it may: a cultural-IP derivative whose
 * license is no longer active (revoked, expired by term on the transaction's CST day) or whose
 * licensee is restricted from licensing. Asked when an order is placed and when it is settled,
 * so revocation and expiry take derivatives off sale without touching them (revocation stays
 * one write, whatever the number of derivatives). Other kinds: undefined.
 */
export async function saleBar(ctx: Context, asset: Asset): Promise<string | undefined> {
  if (asset.kind !== 'ip-derivative') return undefined;
  return derivativeLicenseBar(ctx, asset);
}

/** saleBar, refusing with RULE_VIOLATION (PlaceOrder, SettleOrder). */
export async function requireForSale(ctx: Context, asset: Asset): Promise<void> {
  const bar = await saleBar(ctx, asset);
  if (bar !== undefined) throw ruleViolation(`asset ${asset.id} may not be sold now: ${bar}`);
}

/**
 * Whether the seller of an open order may no longer sell its asset (a derivative whose license
 * lapsed or whose licensee is restricted). The buyer cannot settle such an order, so on
 * cancellation the seller is at fault as if barred from trading (CancelOrder).
 */
export async function sellerMayNotSell(ctx: Context, order: Order): Promise<boolean> {
  const asset = await getRecord(ctx, Assets, [order.assetId]);
  return asset !== undefined && asset.ownerSubjectId === order.sellerSubjectId && (await saleBar(ctx, asset)) !== undefined;
}

/** The listing view leaves out what may not be sold today (derivatives whose license no longer allows it). */
export async function onlyForSale(ctx: Context, assets: readonly Asset[]): Promise<Asset[]> {
  const out: Asset[] = [];
  for (const asset of assets) if ((await saleBar(ctx, asset)) === undefined) out.push(asset);
  return out;
}
