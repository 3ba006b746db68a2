import { tx } from '../../chaincode/src/catalogue';
import { ensureCounties, Who, World } from './market-world';

export { ensureCounties };

/**
 * Changes shared parameters the only way there is: a regulator proposes, a regulator of another
 * county approves (two of the three registered counties are a majority). Answers the adopted proposal.
 */
export async function adoptParameters(w: World, proposer: Who, approver: Who, changes: Record<string, unknown>): Promise<any> {
  await ensureCounties(w);
  const proposal = await w.submit(proposer, tx.parameters.propose, { changes, note: 'test setup' });
  return w.submit(approver, tx.parameters.approve, { proposalId: proposal.id });
}
