import { tx } from '../../../chaincode/src/public';
import { z } from 'zod';
import { County, DEFAULT_COUNTIES } from '../identity/counties';
import { evaluate } from '../ledger/calls';
import { Ledger, LedgerIdentity, TransactionInfo } from '../ledger/ledger';

/** China Standard Time is UTC+8 all year (no daylight saving). */
const CST_OFFSET_MS = 8 * 3600 * 1000;

/** An ISO instant as people in the counties read it: `2026-12-01 20:00:00 CST` (UTC+8, to the second). */
export function cstDateTime(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`not an ISO time: ${iso}`);
  const shifted = new Date(ms + CST_OFFSET_MS).toISOString();
  return `${shifted.slice(0, 10)} ${shifted.slice(11, 19)} CST`;
}

/** The web console's page that verifies this digest (it computes the file's digests in the browser). */
export function verificationUrl(publicBaseUrl: string, sha256: string): string {
  return `${publicBaseUrl.replace(/\/+$/, '')}/#/verify/${sha256}`;
}

export const countyNameSchema = z
  .strictObject({
    mspId: z.string(),
    name: z.string().describe("the county's configured name; its MSP ID when the gateway's configuration does not name it"),
    chineseName: z.string().optional().describe('its name in Chinese (两当县), when configured'),
  })
  .describe('a county as the gateway names it');
export type CountyName = z.infer<typeof countyNameSchema>;

/** County names from the gateway's configuration (counties are configuration, not code). */
export class CountyDirectory {
  readonly #byMsp: ReadonlyMap<string, County>;

  constructor(counties: readonly County[] = DEFAULT_COUNTIES) {
    this.#byMsp = new Map(counties.map((c) => [c.mspId, c]));
  }

  nameOf(mspId: string): CountyName {
    const county = this.#byMsp.get(mspId);
    return { mspId, name: county?.name ?? mspId, ...(county?.chineseName ? { chineseName: county.chineseName } : {}) };
  }

  /** `两当县 LiangdangMSP`: the Chinese name first, then the MSP ID that certificates and blocks carry. */
  labelOf(mspId: string): string {
    const county = this.#byMsp.get(mspId);
    const local = county?.chineseName ?? (county && county.name !== mspId ? county.name : undefined);
    return local ? `${local} ${mspId}` : mspId;
  }
}

/** What anyone may learn of a digest without a key (GET /public/evidence/{sha256}): no refs, media type, description or submitter. */
export const publicEvidenceSchema = z
  .strictObject({
    anchored: z.literal(true),
    sha256: z.string(),
    sm3: z.string(),
    sizeBytes: z.number().int(),
    txId: z.string().describe('the anchoring transaction'),
    blockNumber: z.number().int().describe('the block that holds it'),
    validationCode: z.string().describe('VALID: the committing peers accepted the transaction'),
    anchoredAt: z.string().describe('the transaction time, ISO 8601 UTC'),
    anchoredAtCst: z.string().describe('the same time in China Standard Time, e.g. 2026-12-01 20:00:00 CST'),
    endorsingCounties: z.array(countyNameSchema).describe("the counties whose peers endorsed the transaction, from the block's endorsements"),
    verificationUrl: z.string().describe("the web console's verification page of this digest"),
  })
  .describe('that a digest is anchored: when, in which block and transaction, and which counties endorsed it');
export type PublicEvidence = z.infer<typeof publicEvidenceSchema>;

/** The anchoring transaction as its block records it; its absence for a record on the ledger is a fault of the ledger's index. */
export async function anchoringTransaction(ledger: Ledger, txId: string): Promise<TransactionInfo> {
  const transaction = await ledger.getTransaction(txId);
  if (!transaction) throw new Error(`the ledger holds an evidence record of transaction ${txId} but cannot find that transaction`);
  return transaction;
}

/** The public facts of an anchored digest, asked as `identity` (the public reader); NOT_FOUND from the ledger when not anchored. */
export async function publicEvidenceOf(
  ledger: Ledger,
  identity: LedgerIdentity,
  sha256: string,
  counties: CountyDirectory,
  publicBaseUrl: string,
): Promise<PublicEvidence> {
  const anchoring = await evaluate(ledger, identity, tx.evidence.publicLookup, { sha256 });
  const transaction = await anchoringTransaction(ledger, anchoring.txId);
  return {
    anchored: true,
    sha256: anchoring.sha256,
    sm3: anchoring.sm3,
    sizeBytes: anchoring.sizeBytes,
    txId: anchoring.txId,
    blockNumber: transaction.blockNumber,
    validationCode: transaction.validationCode,
    anchoredAt: anchoring.anchoredAt,
    anchoredAtCst: cstDateTime(anchoring.anchoredAt),
    endorsingCounties: transaction.endorsingOrganisations.map((mspId) => counties.nameOf(mspId)),
    verificationUrl: verificationUrl(publicBaseUrl, anchoring.sha256),
  };
}
