import { Context } from 'fabric-contract-api';
import { mayBeLicensed } from '../credit/blacklist';

/**
 * Whether a subject is restricted from licensing (joint punishment, 联合惩戒): an active
 * blacklist entry with the "licensing" measure, answered by the credit module's
 * `mayBeLicensed` (one key read; expiry is a date comparison with the transaction day).
 * Answers the reason, or undefined when the subject may be licensed. Asked when a license
 * is requested and again when the approvals make it effective.
 */
export async function licensingRestriction(ctx: Context, subjectId: string): Promise<string | undefined> {
  const verdict = await mayBeLicensed(ctx, subjectId);
  return verdict.allowed ? undefined : (verdict.reason ?? `subject ${subjectId} may not be licensed`);
}
