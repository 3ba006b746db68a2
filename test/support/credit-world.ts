import { Ledger, LedgerIdentity } from '../../gateway-api/src/ledger/ledger';
import { TransactionDefinition } from '../../chaincode/src/kernel/transaction';
import { answerOf } from '../../gateway-api/src/ledger/calls';
import { tx } from '../../chaincode/src/catalogue';
import { addDays, cstDate } from '../../chaincode/src/kernel/time';
import { LedgerFixture } from './ledger-fixture';
import { ensureCounties, Who, World } from './market-world';

/** Today's CST date by the (possibly moved) clock the embedded ledger uses. */
export function todayCst(): string {
  return cstDate(Date.now());
}

export function violationInput(subjectId: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    subjectId,
    kind: 'eco-violation',
    severity: 'serious',
    harmfulConsequence: true,
    summary: 'discharged waste water into the Jialing river',
    evidenceRefs: ['doc:inspection-2024-17'],
    ...overrides,
  };
}

export function decision(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const start = todayCst();
  return {
    reason: 'serious eco violation with harmful consequence',
    legalBasis: 'Environmental Protection Law art. 63',
    measures: ['trading'],
    startDate: start,
    endDate: addDays(start, 365),
    decisionEvidenceRefs: ['doc:decision-2024-9'],
    ...overrides,
  };
}

/** Records a violation (serious, harmful by default) and blacklists the subject on it; answers the entry. */
export async function blacklistSubject(
  w: World,
  who: Who,
  subjectId: string,
  decisionOverrides: Record<string, unknown> = {},
  violationOverrides: Record<string, unknown> = {},
): Promise<any> {
  const event = await w.submit(who, tx.credit.recordEvent, violationInput(subjectId, violationOverrides));
  return w.submit(who, tx.credit.issueBlacklist, { subjectId, basisEventIds: [event.id], ...decision(decisionOverrides) });
}

/** Submits directly on the app fixture's ledger (test setup, not under test). */
export async function ledgerSubmit(
  f: { ledger: { ledger: Ledger; identity: (msp: string, m: string) => Promise<LedgerIdentity> } },
  mspId: string,
  member: string,
  definition: TransactionDefinition,
  input: unknown,
): Promise<any> {
  const who = await f.ledger.identity(mspId, member);
  const r = await f.ledger.ledger.submit(who, { name: definition.qualifiedName, args: [JSON.stringify(input)] });
  return answerOf(definition, r.payload);
}

/** Registers the default counties on the app fixture's ledger (test setup): enterprises are registered only by their home county. */
export async function registerCountiesOn(f: { ledger: LedgerFixture }): Promise<void> {
  await ensureCounties(World.over(f.ledger));
}
