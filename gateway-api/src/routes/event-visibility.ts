import {
  CaseEvents,
  CountiesEvents,
  CreditContractEvents,
  EvidenceEvents,
  FundEvents,
  IpEvents,
  MarketEvents,
  MembershipEvents,
  ParametersEvents,
  SubjectsEvents,
  TaxEvents,
  tx,
} from '../../../chaincode/src/public';
import { evaluate } from '../ledger/calls';
import { LedgerError } from '../ledger/errors';
import { Ledger, LedgerIdentity } from '../ledger/ledger';

/**
 * Who sees which chaincode event on GET /events (DESIGN.md "Trust between counties", need to know).
 *
 * - `network`: public within the network — every member holding a role may read the same facts
 *   through the ledger's "anyone" reads (roles, subjects and bindings, listings, shared parameters,
 *   credit events and the blacklist, counties, IP, fund, tax, query trail anchors).
 * - `order`: only readers of the order named by `payload.orderId` (Market:GetOrder as the caller:
 *   the parties' merchants, regulators and enforcement of the counties concerned, auditors, verifiers).
 * - `evidence`: only readers of the record named by `payload.sha256` (Evidence:Get as the caller).
 * - `case`: only readers of the case named by `payload.caseId` (Cases:GetCase as the caller: the two
 *   counties' enforcement, auditors) — and, as the notice of a blacklist entry against its subject, the
 *   members of the subject's home county when the event names one (`payload.homeCounty`, with
 *   `payload.blacklistEntryId`: a CaseClosed that blacklisted the subject).
 * credit.BlacklistIssued is `network`, so every county sees it; its `homeCounty` names the subject's
 * home county, which may then object for the subject.
 * An event name not in this table is not sent at all (a new event stays hidden until classified).
 */
export type Visibility = 'network' | 'order' | 'evidence' | 'case';

type EventName =
  | (typeof CaseEvents)[keyof typeof CaseEvents]
  | (typeof CountiesEvents)[keyof typeof CountiesEvents]
  | (typeof CreditContractEvents)[keyof typeof CreditContractEvents]
  | (typeof EvidenceEvents)[keyof typeof EvidenceEvents]
  | (typeof FundEvents)[keyof typeof FundEvents]
  | (typeof IpEvents)[keyof typeof IpEvents]
  | (typeof MarketEvents)[keyof typeof MarketEvents]
  | (typeof MembershipEvents)[keyof typeof MembershipEvents]
  | (typeof ParametersEvents)[keyof typeof ParametersEvents]
  | (typeof SubjectsEvents)[keyof typeof SubjectsEvents]
  | (typeof TaxEvents)[keyof typeof TaxEvents];

function all<T extends Record<string, string>>(events: T, visibility: Visibility): Array<[string, Visibility]> {
  return Object.values(events).map((name) => [name, visibility]);
}

/** Every event the chaincode emits, with its visibility (the type makes a missing name a compile error). */
export const EVENT_VISIBILITY: Readonly<Record<EventName, Visibility>> = Object.fromEntries([
  ...all(MembershipEvents, 'network'),
  ...all(SubjectsEvents, 'network'),
  ...all(CountiesEvents, 'network'),
  ...all(CreditContractEvents, 'network'),
  ...all(IpEvents, 'network'),
  ...all(FundEvents, 'network'),
  ...all(TaxEvents, 'network'),
  ...all(ParametersEvents, 'network'),
  [MarketEvents.AssetRegistered, 'network'],
  [MarketEvents.ListingChanged, 'network'],
  [MarketEvents.OrderPlaced, 'order'],
  [MarketEvents.OrderSuspended, 'order'],
  [MarketEvents.OrderVerified, 'order'],
  [MarketEvents.OrderSettled, 'order'],
  [MarketEvents.OrderCancelled, 'order'],
  [MarketEvents.AlertCleared, 'order'],
  [MarketEvents.AlertRejected, 'order'],
  ...all(EvidenceEvents, 'evidence'),
  ...all(CaseEvents, 'case'),
]) as Record<EventName, Visibility>;

/** At most this many read decisions are remembered per connection (then forgotten and asked again). */
const MAX_CACHED = 10_000;

/**
 * The per-connection filter: decides once per order, evidence record or case whether the caller may
 * read it (one ledger read as the caller), so a stream costs at most one read per distinct record.
 * Decisions are those of the moment they are first asked; a reconnect asks again. A ledger error
 * other than FORBIDDEN or NOT_FOUND is thrown (the stream ends; the client resumes with Last-Event-ID)
 * rather than dropping an event silently.
 */
export class EventFilter {
  readonly #cache = new Map<string, boolean>();

  constructor(
    private readonly ledger: Ledger,
    private readonly identity: LedgerIdentity,
  ) {}

  async mayReceive(name: string, payload: unknown): Promise<boolean> {
    const visibility = (EVENT_VISIBILITY as Record<string, Visibility | undefined>)[name];
    if (visibility === undefined) return false;
    if (visibility === 'network') return true;
    if (visibility === 'case' && isHomeCountyNotice(payload, this.identity.mspId)) return true;
    const field = { order: 'orderId', evidence: 'sha256', case: 'caseId' }[visibility];
    const id = payload && typeof payload === 'object' ? (payload as Record<string, unknown>)[field] : undefined;
    if (typeof id !== 'string') return false;
    const key = `${visibility}/${id}`;
    const known = this.#cache.get(key);
    if (known !== undefined) return known;
    const allowed = await this.#mayRead(visibility, id);
    if (this.#cache.size >= MAX_CACHED) this.#cache.clear();
    this.#cache.set(key, allowed);
    return allowed;
  }

  async #mayRead(visibility: Exclude<Visibility, 'network'>, id: string): Promise<boolean> {
    try {
      if (visibility === 'order') await evaluate(this.ledger, this.identity, tx.market.getOrder, { orderId: id });
      else if (visibility === 'evidence') await evaluate(this.ledger, this.identity, tx.evidence.get, { sha256: id });
      else await evaluate(this.ledger, this.identity, tx.cases.getCase, { caseId: id });
      return true;
    } catch (err) {
      if (err instanceof LedgerError && (err.code === 'FORBIDDEN' || err.code === 'NOT_FOUND' || err.code === 'INVALID_ARGUMENT')) return false;
      throw err;
    }
  }
}

/** A case event that blacklisted a subject of the caller's county: the notice its home county is owed. */
function isHomeCountyNotice(payload: unknown, mspId: string): boolean {
  if (!payload || typeof payload !== 'object') return false;
  const p = payload as Record<string, unknown>;
  return p.homeCounty === mspId && typeof p.blacklistEntryId === 'string';
}
