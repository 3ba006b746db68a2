import { Context, Info, Transaction } from 'fabric-contract-api';
import { canonicalJson } from '../kernel/canonical-json';
import { CountyContract } from '../kernel/contract-base';
import { conflict, forbidden } from '../kernel/errors';
import { emit } from '../kernel/events';
import { ROLES } from '../kernel/schemas';
import { getRecord, mustGetRecord, putRecord, scanBounded } from '../kernel/state';
import { txTime } from '../kernel/time';
import { parseInput } from '../kernel/validate';
import { evidenceTransactions } from '../evidence/transactions';
import { requireRole } from '../membership/access';
import { anchorEvidenceRecord } from '../evidence/anchor';
import { EvidenceRecognition, EvidenceRecognitions, EvidenceRecords } from '../evidence/records';
import { requireMayReadEvidence } from './evidence-access';

export const EvidenceEvents = {
  Anchored: 'evidence.Anchored',
  Recognized: 'evidence.Recognized',
} as const;

/** At most this many recognitions are returned with a record (one per county). */
export const MAX_RECOGNITIONS_SHOWN = 100;

@Info({ title: 'Evidence', description: 'Evidence storage (数据存证): digests of files kept by the gateway, and recognition across counties' })
export class EvidenceContract extends CountyContract {
  constructor() {
    super('Evidence');
  }

  /** Any member holding a role anchors the digests of a file; a digest already anchored is a CONFLICT. */
  @Transaction()
  async Anchor(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(evidenceTransactions.anchor.input, inputJson);
    const caller = await requireRole(ctx, ...ROLES);
    const record = await anchorEvidenceRecord(ctx, input, caller);
    emit(ctx, EvidenceEvents.Anchored, { sha256: record.sha256, mspId: caller.mspId, member: caller.member });
    return canonicalJson(record);
  }

  /**
   * The record of a digest with the counties that recognised it: need to know (evidence-access.ts),
   * FORBIDDEN for others. A digest not anchored is NOT_FOUND for everyone.
   */
  @Transaction(false)
  async Get(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(evidenceTransactions.get.input, inputJson);
    const record = await mustGetRecord(ctx, EvidenceRecords, [input.sha256], 'evidence');
    await requireMayReadEvidence(ctx, record);
    const { items, truncated } = await scanBounded(ctx, EvidenceRecognitions, [input.sha256], MAX_RECOGNITIONS_SHOWN);
    return canonicalJson({ record, recognitions: items, recognitionsTruncated: truncated });
  }

  /**
   * Whether a digest is anchored, and when and in which transaction, for a member holding a role who
   * holds the file (the gateway's verification): the digests, the transaction ID and time, never the
   * refs, the description or the submitter. NOT_FOUND when the digest is not anchored.
   */
  @Transaction(false)
  async Verify(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(evidenceTransactions.verify.input, inputJson);
    await requireRole(ctx, ...ROLES);
    return canonicalJson(await anchoringOf(ctx, input.sha256));
  }

  /**
   * The same bare facts for any caller, one without a role too (the gateway's public reader): that a
   * digest is anchored, its digests and size, the transaction ID and time. Whoever has the file knows
   * its digest already; the refs, description, media type and submitter stay need to know.
   * NOT_FOUND when the digest is not anchored.
   */
  @Transaction(false)
  async PublicLookup(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(evidenceTransactions.publicLookup.input, inputJson);
    return canonicalJson(await anchoringOf(ctx, input.sha256));
  }

  /** Enforcement of a county other than the submitter's recognises the evidence (证据互认), once per county. */
  @Transaction()
  async Recognize(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(evidenceTransactions.recognize.input, inputJson);
    const caller = await requireRole(ctx, 'enforcement');
    const record = await mustGetRecord(ctx, EvidenceRecords, [input.sha256], 'evidence');
    if (record.submitter.mspId === caller.mspId) {
      throw forbidden(`evidence submitted by ${record.submitter.mspId} is recognised by other counties, not by ${caller.mspId} itself`);
    }
    const previous = await getRecord(ctx, EvidenceRecognitions, [input.sha256, caller.mspId]);
    if (previous) throw conflict(`${caller.mspId} already recognised evidence ${input.sha256} (tx ${previous.txId})`);
    const recognition: EvidenceRecognition = {
      sha256: input.sha256,
      mspId: caller.mspId,
      member: caller.member,
      ...(input.note ? { note: input.note } : {}),
      txId: ctx.stub.getTxID(),
      recognizedAt: txTime(ctx).iso,
    };
    await putRecord(ctx, EvidenceRecognitions, recognition);
    emit(ctx, EvidenceEvents.Recognized, { sha256: input.sha256, mspId: caller.mspId, member: caller.member });
    return canonicalJson(recognition);
  }
}

/** The anchoring facts of a digest (evidenceAnchoringSchema), picked field by field so nothing else of the record leaves. */
async function anchoringOf(ctx: Context, sha256: string) {
  const record = await mustGetRecord(ctx, EvidenceRecords, [sha256], 'evidence');
  return { sha256: record.sha256, sm3: record.sm3, sizeBytes: record.sizeBytes, txId: record.txId, anchoredAt: record.anchoredAt };
}
