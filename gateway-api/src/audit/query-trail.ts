import { createHash, randomBytes } from 'node:crypto';
import { canonicalJson, tx } from '../../../chaincode/src/public';
import { mkdirSync } from 'node:fs';
import { ClassicLevel } from 'classic-level';
import { evaluate, outsideSubmitScope, submit } from '../ledger/calls';
import { LedgerError } from '../ledger/errors';
import { Ledger, LedgerIdentity } from '../ledger/ledger';

/** What was looked up: a check of codes, an entry, a listing, a subject's credit file or history. */
export type LookupKind = 'check' | 'bulk-check' | 'entry' | 'list' | 'credit-file' | 'history';

export interface TrailEntry {
  readonly seq: number;
  readonly at: string;
  readonly mspId: string;
  readonly member: string;
  readonly kind: LookupKind;
  /** The code looked up (absent for listings). */
  readonly code?: string;
  readonly filter?: Record<string, string>;
  /** sha256(previous digest ‖ canonical JSON of the entry without its digest). */
  readonly digest: string;
}

export interface Lookup {
  readonly kind: LookupKind;
  readonly code?: string;
  readonly filter?: Record<string, string>;
}

interface Head {
  readonly seq: number;
  readonly digest: string;
}

interface LedgerAnchor {
  readonly seq: number;
  readonly fromEntry: number;
  readonly toEntry: number;
  readonly digest: string;
  readonly txId: string;
  readonly at: string;
}

export const GENESIS_DIGEST = '0'.repeat(64);

export function chainDigest(previous: string, entry: Omit<TrailEntry, 'digest'>): string {
  return createHash('sha256').update(previous).update('\n').update(canonicalJson(entry)).digest('hex');
}

export interface QueryTrailOptions {
  /** Anchor once this many entries are unanchored (default 100). */
  readonly anchorEvery?: number;
  /** Anchor unanchored entries at least this often, in ms (default 60 s; 0 = never by time). */
  readonly anchorIntervalMs?: number;
  readonly log?: (msg: string, err?: unknown) => void;
}

/**
 * The blacklist query audit trail: an append-only, hash-chained log kept in LevelDB by
 * the gateway, one chain per county of the callers. Each chain's running digest is
 * anchored on the ledger (Credit:AnchorQueryTrail) every `anchorEvery` entries, every
 * `anchorIntervalMs`, and on demand; verify() recomputes the chain and compares it with
 * the anchors, so a rewritten or truncated trail is detected.
 */
export class QueryTrail {
  readonly db: ClassicLevel<string, string>;
  readonly #ledger: Ledger;
  readonly #options: Required<Omit<QueryTrailOptions, 'log'>> & Pick<QueryTrailOptions, 'log'>;
  #baseId = '';
  #queue: Promise<unknown> = Promise.resolve();
  readonly #heads = new Map<string, Head>();
  readonly #anchored = new Map<string, number>();
  readonly #lastIdentity = new Map<string, LedgerIdentity>();
  #timer: NodeJS.Timeout | undefined;

  private constructor(dir: string, ledger: Ledger, options: QueryTrailOptions) {
    mkdirSync(dir, { recursive: true });
    this.db = new ClassicLevel<string, string>(dir, { valueEncoding: 'utf8' });
    this.#ledger = ledger;
    this.#options = { anchorEvery: options.anchorEvery ?? 100, anchorIntervalMs: options.anchorIntervalMs ?? 60_000, log: options.log };
  }

  static async open(dir: string, ledger: Ledger, options: QueryTrailOptions = {}): Promise<QueryTrail> {
    const trail = new QueryTrail(dir, ledger, options);
    await trail.db.open();
    let base = await trail.db.get('meta/base-id');
    if (base === undefined) {
      base = `bq-${randomBytes(6).toString('hex')}`;
      await trail.db.put('meta/base-id', base);
    }
    trail.#baseId = base;
    if (trail.#options.anchorIntervalMs > 0) {
      trail.#timer = setInterval(() => void trail.#anchorAllDue(), trail.#options.anchorIntervalMs);
      trail.#timer.unref();
    }
    return trail;
  }

  async close(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    await this.#queue.catch(() => undefined);
    await this.db.close();
  }

  /** The ledger trail ID of a county's chain. */
  trailIdOf(mspId: string): string {
    return `${this.#baseId}-${mspId.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`.slice(0, 64);
  }

  /** Runs `fn` after every earlier trail operation (appends and anchors are serialised). */
  #serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(fn, fn);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #head(mspId: string): Promise<Head> {
    let head = this.#heads.get(mspId);
    if (!head) {
      const stored = await this.db.get(`${mspId}/head`);
      head = stored ? (JSON.parse(stored) as Head) : { seq: 0, digest: GENESIS_DIGEST };
      this.#heads.set(mspId, head);
    }
    return head;
  }

  /** Appends the lookups of one request, by one caller, to the caller's county chain (one atomic batch). */
  append(caller: { mspId: string; member: string; identity: LedgerIdentity }, lookups: readonly Lookup[], at = new Date()): Promise<TrailEntry[]> {
    return this.#serial(async () => {
      const head = await this.#head(caller.mspId);
      let { seq, digest } = head;
      const entries: TrailEntry[] = [];
      for (const l of lookups) {
        seq += 1;
        const body = {
          seq,
          at: at.toISOString(),
          mspId: caller.mspId,
          member: caller.member,
          kind: l.kind,
          ...(l.code !== undefined ? { code: l.code } : {}),
          ...(l.filter ? { filter: l.filter } : {}),
        };
        digest = chainDigest(digest, body);
        entries.push({ ...body, digest });
      }
      const next: Head = { seq, digest };
      await this.db.batch([
        ...entries.map((e) => ({ type: 'put' as const, key: entryKey(caller.mspId, e.seq), value: JSON.stringify(e) })),
        { type: 'put' as const, key: `${caller.mspId}/head`, value: JSON.stringify(next) },
      ]);
      this.#heads.set(caller.mspId, next);
      this.#lastIdentity.set(caller.mspId, caller.identity);
      const anchored = this.#anchored.get(caller.mspId) ?? 0;
      if (seq - anchored >= this.#options.anchorEvery)
        // Not part of the request that happened to fill the batch: none of its Idempotency-Key nonces.
        void outsideSubmitScope(() => this.anchor(caller.mspId, caller.identity)).catch((err: unknown) =>
          this.#options.log?.('query trail anchor failed', err),
        );
      return entries;
    });
  }

  /** A page of a county's chain, oldest first. */
  async list(mspId: string, limit: number, after = 0): Promise<{ items: TrailEntry[]; nextCursor?: string }> {
    const items: TrailEntry[] = [];
    for await (const [, value] of this.db.iterator({ gt: entryKey(mspId, after), lt: `${mspId}/e/~`, limit: limit + 1 }))
      items.push(JSON.parse(value) as TrailEntry);
    const page = items.slice(0, limit);
    return items.length > limit ? { items: page, nextCursor: String(page[page.length - 1]?.seq ?? after) } : { items: page };
  }

  /** Anchors a county's unanchored entries on the ledger with `identity`; answers what was anchored (or that nothing was due). */
  anchor(
    mspId: string,
    identity: LedgerIdentity,
  ): Promise<{ anchored: boolean; trailId: string; fromEntry?: number; toEntry?: number; digest?: string; txId?: string; blockNumber?: number }> {
    return this.#serial(async () => {
      const trailId = this.trailIdOf(mspId);
      const head = await this.#head(mspId);
      const last = await this.#ledgerLastEntry(trailId, identity);
      this.#anchored.set(mspId, last);
      if (head.seq <= last) return { anchored: false, trailId, toEntry: last };
      const r = await submit(this.#ledger, identity, tx.credit.anchorQueryTrail, { trailId, fromEntry: last + 1, toEntry: head.seq, digest: head.digest });
      this.#anchored.set(mspId, head.seq);
      return { anchored: true, trailId, fromEntry: last + 1, toEntry: head.seq, digest: head.digest, txId: r.txId, blockNumber: r.blockNumber };
    });
  }

  async #ledgerLastEntry(trailId: string, identity: LedgerIdentity): Promise<number> {
    try {
      return (await evaluate(this.#ledger, identity, tx.credit.getQueryTrailHead, { trailId })).lastEntry;
    } catch (err) {
      if (err instanceof LedgerError && err.code === 'NOT_FOUND') return 0;
      throw err;
    }
  }

  async #anchorAllDue(): Promise<void> {
    for (const [mspId, identity] of this.#lastIdentity) {
      const head = await this.#head(mspId);
      if (head.seq > (this.#anchored.get(mspId) ?? 0))
        await this.anchor(mspId, identity).catch((err: unknown) => this.#options.log?.('query trail anchor failed', err));
    }
  }

  /**
   * Recomputes a county's chain from the first entry and compares it with every anchor on
   * the ledger: each stored digest must match the recomputed one, and each anchor's digest
   * must equal the recomputed digest at its last entry.
   */
  async verify(mspId: string, identity: LedgerIdentity) {
    const trailId = this.trailIdOf(mspId);
    const anchors: LedgerAnchor[] = [];
    let cursor: string | undefined;
    do {
      const page: { items: LedgerAnchor[]; nextCursor?: string } = await evaluate(this.#ledger, identity, tx.credit.listQueryTrailAnchors, {
        trailId,
        limit: 200,
        ...(cursor ? { cursor } : {}),
      });
      anchors.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    const at = new Map(anchors.map((a) => [a.toEntry, a]));
    let digest = GENESIS_DIGEST;
    let expected = 1;
    let problem: string | undefined;
    let firstBadEntry: number | undefined;
    let checkedAnchors = 0;
    for await (const [, value] of this.db.iterator({ gt: entryKey(mspId, 0), lt: `${mspId}/e/~` })) {
      const { digest: stored, ...body } = JSON.parse(value) as TrailEntry;
      if (body.seq !== expected) {
        problem = `entry ${expected} is missing (found ${body.seq})`;
        firstBadEntry = expected;
        break;
      }
      digest = chainDigest(digest, body);
      if (stored !== digest) {
        problem = `entry ${body.seq} does not match the hash chain`;
        firstBadEntry = body.seq;
        break;
      }
      const anchor = at.get(body.seq);
      if (anchor) {
        checkedAnchors++;
        if (anchor.digest !== digest) {
          problem = `anchor ${anchor.seq} (tx ${anchor.txId}) does not match the trail at entry ${body.seq}`;
          firstBadEntry = anchor.fromEntry;
          break;
        }
      }
      expected++;
    }
    const entries = expected - 1;
    const anchoredThrough = anchors.length ? Math.max(...anchors.map((a) => a.toEntry)) : 0;
    if (!problem && anchoredThrough > entries)
      problem = `the ledger anchors entries up to ${anchoredThrough} but the trail holds ${entries}: entries were removed`;
    return {
      ok: problem === undefined,
      county: mspId,
      trailId,
      entries,
      anchors: anchors.length,
      anchorsChecked: checkedAnchors,
      anchoredThrough,
      unanchoredEntries: Math.max(0, entries - anchoredThrough),
      ...(problem ? { problem, firstBadEntry } : {}),
    };
  }
}

function entryKey(mspId: string, seq: number): string {
  return `${mspId}/e/${String(seq).padStart(16, '0')}`;
}
