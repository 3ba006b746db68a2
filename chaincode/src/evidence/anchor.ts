import { createHash } from 'node:crypto';
import { Context } from 'fabric-contract-api';
import { conflict } from '../kernel/errors';
import { Caller } from '../kernel/identity';
import { getRecord, putRecord } from '../kernel/state';
import { txTime } from '../kernel/time';
import { EvidenceRecord, EvidenceRecords, EvidenceRefs } from './records';

export interface Digests {
  readonly sha256: string;
  readonly sm3: string;
}

/** SHA-256 and SM3 (GB/T 32905) of some bytes, lower-case hex. Pure and deterministic. */
export function digestsOf(bytes: Buffer): Digests {
  return {
    sha256: createHash('sha256').update(bytes).digest('hex'),
    sm3: createHash('sm3').update(bytes).digest('hex'),
  };
}

export interface AnchorRequest {
  readonly sha256: string;
  readonly sm3: string;
  readonly sizeBytes: number;
  readonly mediaType: string;
  readonly refs?: EvidenceRefs;
  readonly description?: string;
}

/**
 * Writes an evidence record in the current transaction (used by the Evidence contract
 * and by any transaction that anchors its own evidence, e.g. a settled deal).
 * A digest already on the ledger is a CONFLICT. Emits nothing: the calling
 * transaction emits its own single event.
 */
export async function anchorEvidenceRecord(ctx: Context, request: AnchorRequest, submitter: Caller): Promise<EvidenceRecord> {
  const existing = await getRecord(ctx, EvidenceRecords, [request.sha256]);
  if (existing) throw conflict(`evidence ${request.sha256} is already anchored (tx ${existing.txId})`);
  const refs: EvidenceRefs = {
    ...(request.refs?.subjectIds?.length ? { subjectIds: [...request.refs.subjectIds] } : {}),
    ...(request.refs?.caseIds?.length ? { caseIds: [...request.refs.caseIds] } : {}),
    ...(request.refs?.orderIds?.length ? { orderIds: [...request.refs.orderIds] } : {}),
  };
  const record: EvidenceRecord = {
    sha256: request.sha256,
    sm3: request.sm3,
    sizeBytes: request.sizeBytes,
    mediaType: request.mediaType,
    refs,
    ...(request.description ? { description: request.description } : {}),
    submitter: { mspId: submitter.mspId, member: submitter.member },
    txId: ctx.stub.getTxID(),
    anchoredAt: txTime(ctx).iso,
  };
  await putRecord(ctx, EvidenceRecords, record);
  return record;
}
