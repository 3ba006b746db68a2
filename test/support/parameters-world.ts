import { tx } from '../../chaincode/src/catalogue';
import { COUNTIES, registerCounties } from './fund-world';
import { Who, World } from './market-world';

/** Registers those of the three counties not registered yet (majorities count registered counties). */
export async function ensureCounties(w: World, counties: readonly string[] = COUNTIES): Promise<void> {
  const reader = await w.admin(counties[0] as string);
  const known = new Set(((await w.evaluate(reader, tx.counties.list)).items as Array<{ mspId: string }>).map((c) => c.mspId));
  await registerCounties(
    w,
    counties.filter((c) => !known.has(c)),
  );
}

/**
 * Changes shared parameters the only way there is: a regulator proposes, a regulator of another
 * county approves (two of the three registered counties are a majority). Answers the adopted proposal.
 */
export async function adoptParameters(w: World, proposer: Who, approver: Who, changes: Record<string, unknown>): Promise<any> {
  await ensureCounties(w);
  const proposal = await w.submit(proposer, tx.parameters.propose, { changes, note: 'test setup' });
  return w.submit(approver, tx.parameters.approve, { proposalId: proposal.id });
}
