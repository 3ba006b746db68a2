import { createHash, randomUUID } from 'node:crypto';

/**
 * A steady mixed load of real domain transactions through the REST API of two counties' gateways,
 * at a fixed rate, as real clients send it: each logical operation keeps its Idempotency-Key over
 * its retries (on a 5xx or a connection error: the answer may have been lost), and is sent again
 * under a new key only after a definite MVCC_CONFLICT (nothing was written). A step of a trade
 * builds on a record another step had acknowledged (the order on the listed asset, on another
 * county's gateway); an endorsing peer that has not committed that record yet answers NOT_FOUND,
 * so such a step is sent again (new key: nothing was written) for at most `lagRetryMs`. Every operation's
 * outcome, transaction ID, attempts and latency are recorded under the phase it started in.
 * Reusable: the faults suite drives it, and a benchmark could.
 */

/** A gateway the load talks to; `baseUrl` may change when it is restarted elsewhere. */
export interface LoadGateway {
  readonly name: string;
  baseUrl: string;
}

/** Who the load acts as, and on what (made by the caller's setup on the ledger). */
export interface LoadCast {
  /** The sellers' county gateway (their merchant, regulator) and the buyers' (their merchant, a verifier). */
  readonly sellerGateway: LoadGateway;
  readonly buyerGateway: LoadGateway;
  readonly keys: { readonly sellerMerchant: string; readonly buyerMerchant: string; readonly verifier: string; readonly regulator: string };
  /** Seller enterprises, each with an anchored certificate (sha256) its eco products carry. */
  readonly sellers: ReadonlyArray<{ readonly subject: string; readonly certSha: string }>;
  readonly buyers: readonly string[];
  /** A suffix that keeps categories and payment references of this run apart from earlier runs. */
  readonly runId: string;
}

export type OperationKind = 'asset' | 'order' | 'verification' | 'settlement' | 'blacklist-check' | 'blacklist-bulk' | 'evidence';

export interface OperationRecord {
  readonly kind: OperationKind;
  readonly gateway: string;
  readonly phase: string;
  readonly startedAt: number;
  readonly latencyMs: number;
  readonly ok: boolean;
  /** The last HTTP status, or undefined after a connection error. */
  readonly status?: number;
  readonly code?: string;
  readonly txId?: string;
  readonly blockNumber?: number;
  readonly attempts: number;
  /** Attempts sent again under a new key after MVCC_CONFLICT. */
  readonly conflicts: number;
  /** Attempts sent again under a new key after NOT_FOUND from a peer behind (trade steps only). */
  readonly lagging: number;
}

export interface LoadOptions {
  /** Operations started per second (a trade's four steps count as four, started one after another). */
  readonly ratePerSecond: number;
  /** How long one logical operation keeps retrying before it counts as failed. */
  readonly retryForMs?: number;
  /** Per attempt. */
  readonly requestTimeoutMs?: number;
  /** Trades between one seller–buyer pair (the pair-trade risk rule allows 3 per pair); more pairs are used in turn. */
  readonly tradesPerPair?: number;
  /** How long a trade step keeps resending after NOT_FOUND for the record the previous step was acknowledged with. */
  readonly lagRetryMs?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class MixedLoad {
  readonly records: OperationRecord[] = [];
  phase = 'warm-up';
  readonly #cast: LoadCast;
  readonly #options: Required<LoadOptions>;
  #running = false;
  #inFlight = new Set<Promise<void>>();
  #tick = 0;
  #trades = 0;
  #loop: Promise<void> | undefined;

  constructor(cast: LoadCast, options: LoadOptions) {
    this.#cast = cast;
    // A client keeps asking (same key) for 3 minutes before it gives up on an answer, and retries a lagging peer's NOT_FOUND for 30 s.
    this.#options = { retryForMs: 180_000, requestTimeoutMs: 30_000, tradesPerPair: 3, lagRetryMs: 30_000, ...options };
  }

  /** How many trades the cast allows (pairs × tradesPerPair). */
  get tradeCapacity(): number {
    return this.#cast.sellers.length * this.#cast.buyers.length * this.#options.tradesPerPair;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#loop = this.#run();
  }

  /** Stops starting operations and waits for those under way. */
  async stop(): Promise<void> {
    this.#running = false;
    await this.#loop;
    while (this.#inFlight.size > 0) await Promise.all([...this.#inFlight]);
  }

  async #run(): Promise<void> {
    const interval = 1000 / this.#options.ratePerSecond;
    let next = Date.now();
    while (this.#running) {
      this.#launch(this.#nextWork());
      next += interval;
      const wait = next - Date.now();
      if (wait > 0) await sleep(wait);
    }
  }

  #launch(work: () => Promise<void>): void {
    const p: Promise<void> = work().finally(() => this.#inFlight.delete(p));
    this.#inFlight.add(p);
  }

  /** The mix, in turn: a trade (asset, order, verification, settlement), a check, an evidence upload, a bulk check. */
  #nextWork(): () => Promise<void> {
    const slot = this.#tick++ % 4;
    if (slot === 0 && this.#trades < this.tradeCapacity) return () => this.#trade(this.#trades++);
    if (slot === 1 || slot === 0) return () => this.#check();
    if (slot === 2) return () => this.#evidence();
    return () => this.#bulkCheck();
  }

  async #trade(n: number): Promise<void> {
    const c = this.#cast;
    const pairs = c.sellers.length * c.buyers.length;
    const pair = n % pairs;
    const seller = c.sellers[pair % c.sellers.length]!;
    const buyer = c.buyers[Math.floor(pair / c.sellers.length) % c.buyers.length]!;
    const asset = await this.#operation('asset', c.sellerGateway, c.keys.sellerMerchant, '/api/v1/assets', {
      ownerSubjectId: seller.subject,
      kind: 'eco-product',
      title: `load ${c.runId} #${n}`,
      // One category per seller (a price index per category, as real listings have).
      category: `load-${c.runId}-${pair % c.sellers.length}`,
      costFen: 100_000,
      priceFen: 130_000,
      certifications: [{ kind: 'soil-test', sha256: seller.certSha }],
    });
    const assetId = (asset?.result as { id?: string } | undefined)?.id;
    if (!assetId) return;
    const order = await this.#operation(
      'order',
      c.buyerGateway,
      c.keys.buyerMerchant,
      '/api/v1/orders',
      {
        assetId,
        buyerSubjectId: buyer,
        depositFen: 13_000,
        depositPaymentRef: `load-${c.runId}-dep-${n}`,
      },
      undefined,
      true,
    );
    const orderId = (order?.result as { id?: string } | undefined)?.id;
    if (!orderId) return;
    const verified = await this.#operation(
      'verification',
      c.buyerGateway,
      c.keys.verifier,
      `/api/v1/orders/${orderId}/verification`,
      {
        result: 'pass',
        evidenceRefs: [`load-${c.runId}-inspection-${n}`],
      },
      undefined,
      true,
    );
    if (!verified) return;
    await this.#operation(
      'settlement',
      c.buyerGateway,
      c.keys.buyerMerchant,
      `/api/v1/orders/${orderId}/settlement`,
      {
        paymentRef: `load-${c.runId}-bal-${n}`,
      },
      undefined,
      true,
    );
  }

  async #check(): Promise<void> {
    const c = this.#cast;
    const subject = c.sellers[this.#tick % c.sellers.length]!.subject;
    await this.#operation('blacklist-check', c.sellerGateway, c.keys.regulator, `/api/v1/blacklist/check/${subject}`);
  }

  async #bulkCheck(): Promise<void> {
    const c = this.#cast;
    await this.#operation('blacklist-bulk', c.sellerGateway, c.keys.regulator, '/api/v1/blacklist/check', {
      codes: [...c.sellers.map((s) => s.subject), ...c.buyers],
    });
  }

  async #evidence(): Promise<void> {
    const c = this.#cast;
    const content = Buffer.from(`load ${c.runId} evidence ${randomUUID()}`);
    await this.#operation('evidence', c.sellerGateway, c.keys.sellerMerchant, '/api/v1/evidence', undefined, content);
  }

  /**
   * One logical operation: GET without a body, POST JSON with `body`, or a multipart upload of
   * `file`. Answers the JSON answer when it succeeded (2xx), undefined otherwise.
   */
  async #operation(
    kind: OperationKind,
    gateway: LoadGateway,
    key: string,
    url: string,
    body?: unknown,
    file?: Buffer,
    buildsOnAcknowledged = false,
  ): Promise<Record<string, unknown> | undefined> {
    const phase = this.phase;
    const startedAt = Date.now();
    const until = startedAt + this.#options.retryForMs;
    const method = body === undefined && file === undefined ? 'GET' : 'POST';
    let idempotencyKey = randomUUID();
    let attempts = 0;
    let conflicts = 0;
    let lagging = 0;
    let status: number | undefined;
    let code: string | undefined;
    for (;;) {
      attempts++;
      let answer: Record<string, unknown> | undefined;
      try {
        const res = await fetch(`${gateway.baseUrl}${url}`, {
          method,
          headers: {
            authorization: `Bearer ${key}`,
            ...(method === 'POST' ? { 'idempotency-key': idempotencyKey } : {}),
            ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          },
          ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
          ...(file !== undefined ? { body: uploadForm(file) } : {}),
          signal: AbortSignal.timeout(this.#options.requestTimeoutMs),
        });
        status = res.status;
        const text = await res.text();
        answer = text ? (JSON.parse(text) as Record<string, unknown>) : {};
        code = typeof answer.code === 'string' ? answer.code : undefined;
        if (res.ok) {
          this.records.push({
            kind,
            gateway: gateway.name,
            phase,
            startedAt,
            latencyMs: Date.now() - startedAt,
            ok: true,
            status,
            ...(typeof answer.txId === 'string' ? { txId: answer.txId, blockNumber: answer.blockNumber as number } : {}),
            attempts,
            conflicts,
            lagging,
          });
          return answer;
        }
      } catch {
        status = undefined;
        code = 'CONNECTION';
      }
      const lag = buildsOnAcknowledged && code === 'NOT_FOUND' && Date.now() < startedAt + this.#options.lagRetryMs;
      const retry = status === undefined || status >= 500 || code === 'MVCC_CONFLICT' || status === 429 || lag;
      if (!retry || Date.now() > until) {
        this.records.push({
          kind,
          gateway: gateway.name,
          phase,
          startedAt,
          latencyMs: Date.now() - startedAt,
          ok: false,
          ...(status ? { status } : {}),
          ...(code ? { code } : {}),
          attempts,
          conflicts,
          lagging,
        });
        return undefined;
      }
      // A read conflict or a lagging peer's NOT_FOUND is a definite answer (nothing written): a new transaction, so a new key.
      if (code === 'MVCC_CONFLICT' || lag) {
        if (lag) lagging++;
        else conflicts++;
        idempotencyKey = randomUUID();
      }
      await sleep(Math.min(2000, 100 * 2 ** Math.min(attempts, 5)));
    }
  }
}

function uploadForm(content: Buffer): FormData {
  const form = new FormData();
  form.append('file', new Blob([content], { type: 'application/pdf' }), `load-${createHash('sha256').update(content).digest('hex').slice(0, 8)}.pdf`);
  return form;
}

/** The p-th percentile (0..100) of `values`, nearest rank; NaN for none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
}

export interface PhaseSummary {
  readonly phase: string;
  readonly operations: number;
  readonly succeeded: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly retried: number;
  readonly conflicts: number;
  readonly lagging: number;
}

/** Per phase, in the order phases first appear: operations, successes, p50/p95 latency of the successful ones. */
export function summarise(records: readonly OperationRecord[]): PhaseSummary[] {
  const phases = [...new Set(records.map((r) => r.phase))];
  return phases.map((phase) => {
    const of = records.filter((r) => r.phase === phase);
    const ok = of.filter((r) => r.ok).map((r) => r.latencyMs);
    return {
      phase,
      operations: of.length,
      succeeded: ok.length,
      p50Ms: percentile(ok, 50),
      p95Ms: percentile(ok, 95),
      retried: of.filter((r) => r.attempts > 1).length,
      conflicts: of.reduce((s, r) => s + r.conflicts, 0),
      lagging: of.reduce((s, r) => s + r.lagging, 0),
    };
  });
}
