import { Context } from 'fabric-contract-api';
import { mayReceiveFunds } from '../credit/blacklist';
import { County } from '../counties/counties';

/**
 * Whether a county is restricted from fund eligibility (joint punishment, 联合惩戒). A county
 * is checked by its government's unified social credit code (`County.creditCode`, given when
 * the county registers): an active blacklist entry on that code with the "fund" measure,
 * answered by the credit module's `mayReceiveFunds`. A county registered without a credit
 * code cannot be blacklisted and is always eligible. Answers the reason, or undefined.
 */
export async function fundRestriction(ctx: Context, county: County): Promise<string | undefined> {
  if (!county.creditCode) return undefined;
  const verdict = await mayReceiveFunds(ctx, county.creditCode);
  return verdict.allowed ? undefined : (verdict.reason ?? `county ${county.mspId} may not receive funds`);
}
