/** The cast of the domain benchmarks: counties, members with roles, enterprises, bindings, blacklisted subjects (bench:domain, bench:scale). */
import { createHash } from 'node:crypto';
import { tx } from '../../chaincode/src/catalogue';
import { buildCreditCode } from '../../chaincode/src/kernel/credit-code';
import { TransactionDefinition } from '../../chaincode/src/kernel/transaction';
import { ApiKeyStore } from '../../gateway-api/src/auth/api-keys';
import { Wallet } from '../../gateway-api/src/identity/wallet';
import { answerOf } from '../../gateway-api/src/ledger/calls';
import { Ledger, LedgerIdentity, SubmitResult, TransactionRequest } from '../../gateway-api/src/ledger/ledger';

export const L = 'LiangdangMSP';
export const H = 'HuixianMSP';
export const F = 'FengxianMSP';
export const DIVISION: Record<string, string> = { [L]: '621228', [H]: '621227', [F]: '610330' };
const NAMES: Record<string, string> = { [L]: 'Liangdang County', [H]: 'Huixian County', [F]: 'Fengxian County' };

export interface Actor {
  readonly mspId: string;
  readonly member: string;
  readonly identity: LedgerIdentity;
  readonly apiKey: string;
}

export interface Party {
  readonly subject: string;
  readonly merchant: Actor;
  /** Anchored certification evidence (sellers' eco products refer to it). */
  readonly certSha: string;
}

export interface Cast {
  readonly regulators: Record<string, Actor>;
  readonly finance: Record<string, Actor>;
  readonly verifier: Actor;
  readonly sellers: readonly Party[];
  readonly buyers: readonly Party[];
  /** Registered subjects, some blacklisted: what the checks ask about. */
  readonly checked: readonly string[];
}

export const hex = (s: string) => createHash('sha256').update(s).digest('hex');
let serial = 1000;
const code = (mspId: string) => buildCreditCode('91', DIVISION[mspId] ?? '621228', serial++);

/** Where a cast is set up: identities (and API keys) of members, and the ledger that takes a member's submits. */
export interface CastEnv {
  /** A member's identity (county admin when the name starts with "admin") and an API key for it. */
  identity(mspId: string, member: string): Promise<{ identity: LedgerIdentity; apiKey: string }>;
  submit(who: Actor, request: TransactionRequest): Promise<SubmitResult>;
}

/** The embedded ledger's cast environment: one wallet for all counties, API keys in `keys`. */
export function embeddedEnv(ledger: Ledger, wallet: Wallet, keys: ApiKeyStore): CastEnv {
  return {
    async identity(mspId, member) {
      await wallet.issue(mspId, member, member.startsWith('admin') ? 'admin' : 'client');
      return { identity: wallet.ledgerIdentity(mspId, member), apiKey: (await keys.create(mspId, member)).apiKey };
    },
    submit: (who, request) => ledger.submit(who.identity, request),
  };
}

/**
 * Counties, members with their roles, enterprises, bindings, blacklistings, set up on a ledger the
 * same way for every side: `side` sellers (Liangdang) and as many buyers (Huixian), `checkedCount`
 * subjects of Fengxian of which every fourth is blacklisted. Independent parts run at once.
 */
export async function setUp(env: CastEnv, side: number, checkedCount = 40): Promise<Cast> {
  const actor = async (mspId: string, member: string, ...roles: string[]): Promise<Actor> => {
    const { identity, apiKey } = await env.identity(mspId, member);
    const a = { mspId, member, identity, apiKey };
    for (const role of roles) await put(admins[mspId] as Actor, tx.membership.grantRole, { member, role });
    return a;
  };
  const put = async (who: Actor, def: TransactionDefinition, input: unknown) =>
    answerOf(def, (await env.submit(who, { name: def.qualifiedName, args: [JSON.stringify(input)] })).payload) as any;
  const admins: Record<string, Actor> = {};
  await Promise.all(
    [L, H, F].map(async (m) => {
      admins[m] = await actor(m, 'admin');
      await put(admins[m] as Actor, tx.counties.register, { name: NAMES[m], division: DIVISION[m], creditCode: buildCreditCode('11', DIVISION[m] ?? '', 1) });
    }),
  );
  const regulators: Record<string, Actor> = {};
  const finance: Record<string, Actor> = {};
  await Promise.all(
    [L, H, F].map(async (m) => {
      regulators[m] = await actor(m, `reg-${m}`, 'regulator');
      finance[m] = await actor(m, `fin-${m}`, 'finance');
    }),
  );
  const verifier = await actor(F, 'verifier', 'verifier');
  const enterprise = async (mspId: string) => {
    const c = code(mspId);
    await put(regulators[mspId] as Actor, tx.subjects.registerEnterprise, { creditCode: c, name: `Enterprise ${c}` });
    await put(regulators[mspId] as Actor, tx.subjects.setAccess, { subjectId: c, status: 'green', evidenceRefs: ['doc:review-1'] });
    return c;
  };
  const party = async (mspId: string, name: string): Promise<Party> => {
    const subject = await enterprise(mspId);
    const merchant = await actor(mspId, name, 'merchant');
    await put(regulators[mspId] as Actor, tx.subjects.bindMerchant, { subjectId: subject, member: merchant.member });
    const certSha = hex(`soil test ${subject}`);
    await put(merchant, tx.evidence.anchor, {
      sha256: certSha,
      sm3: hex(`sm3 ${certSha}`),
      sizeBytes: 2048,
      mediaType: 'application/pdf',
      refs: { subjectIds: [subject] },
    });
    return { subject, merchant, certSha };
  };
  const sellers = await Promise.all(Array.from({ length: side }, (_, i) => party(L, `m-seller-${i}`)));
  const buyers = await Promise.all(Array.from({ length: side }, (_, i) => party(H, `m-buyer-${i}`)));
  // Subjects to check, registered in Fengxian, every fourth blacklisted on a serious violation.
  const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
  const nextYear = `${Number(today.slice(0, 4)) + 1}${today.slice(4)}`;
  const checked = await Promise.all(Array.from({ length: checkedCount }, (_, i) => checkedSubject(i)));
  async function checkedSubject(i: number): Promise<string> {
    const c = await enterprise(F);
    if (i % 4 !== 0) return c;
    const event = await put(regulators[F] as Actor, tx.credit.recordEvent, {
      subjectId: c,
      kind: 'eco-violation',
      severity: 'serious',
      harmfulConsequence: true,
      summary: 'discharged waste water into the Jialing river',
      evidenceRefs: ['doc:inspection-1'],
    });
    await put(regulators[F] as Actor, tx.credit.issueBlacklist, {
      subjectId: c,
      basisEventIds: [event.id],
      reason: 'serious eco violation with harmful consequence',
      legalBasis: 'Environmental Protection Law art. 63',
      measures: ['trading'],
      startDate: today,
      endDate: nextYear,
      decisionEvidenceRefs: ['doc:decision-1'],
    });
    return c;
  }
  await put(finance[L] as Actor, tx.fund.recordContribution, { amountFen: 1_000_000_000, paymentRef: 'treasury:l-1' });
  return { regulators, finance, verifier, sellers, buyers, checked };
}
