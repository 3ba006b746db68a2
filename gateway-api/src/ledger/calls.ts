import { AsyncLocalStorage } from 'node:async_hooks';
import { LedgerError } from './errors';
import { Ledger, LedgerIdentity, SubmitResult } from './ledger';
import { InputOf, OutputOf, TransactionDefinition } from '../../../chaincode/src/public';

/** A submitted transaction's answer as the API returns it. */
export interface Submitted<T = unknown> {
  readonly txId: string;
  readonly blockNumber: number;
  readonly result: T;
}

let answersChecked = false;

/**
 * What the submits of one request draw on when it carries an Idempotency-Key (plugins/idempotency.ts
 * runs the route's handler inside it): each submit's nonce, so its transaction ID is known and
 * recorded before it is submitted and a retry of the request resubmits the same transactions.
 */
export interface SubmitScope {
  /** Before the next submit of the request: its nonce, once its intended transaction is recorded. */
  next(identity: LedgerIdentity): Promise<Uint8Array>;
  /** After a submit: the transaction that committed. */
  committed(txId: string): void;
}

const submitScopes = new AsyncLocalStorage<SubmitScope>();

/** Told of every submit through `submit` below (plugins/metrics.ts counts them). */
export interface TransactionObserver {
  submitted(name: string): void;
  /** Committed valid; `readConflicts`: earlier attempts invalidated by a read conflict and re-run. */
  committed(name: string, readConflicts: number): void;
  /** Refused or failed, with the code it failed with (`INTERNAL` for anything that is not a LedgerError). */
  failed(name: string, code: string): void;
}

const observers = new WeakMap<Ledger, Set<TransactionObserver>>();

/** Tells `observer` of every submit to `ledger`; answers the function that stops it. */
export function observeTransactions(ledger: Ledger, observer: TransactionObserver): () => void {
  let set = observers.get(ledger);
  if (!set) observers.set(ledger, (set = new Set()));
  set.add(observer);
  return () => set.delete(observer);
}

function tell(ledger: Ledger, fn: (o: TransactionObserver) => void): void {
  for (const o of observers.get(ledger) ?? []) fn(o);
}

/** Runs `fn` (a route handler) so that its submits draw their nonces from `scope`. */
export function withSubmitScope<T>(scope: SubmitScope, fn: () => T): T {
  return submitScopes.run(scope, fn);
}

/** Runs `fn` outside any request's scope: for work a request starts but does not own (a background anchor). */
export function outsideSubmitScope<T>(fn: () => T): T {
  return submitScopes.exit(fn);
}

/**
 * Makes every call below check the chaincode's answer against the definition's output schema and
 * throw on a mismatch. The test suite turns it on (test/support/setup.ts), so every answer any
 * test receives is checked against what the catalogue and the OpenAPI document say.
 */
export function checkAnswersAgainstCatalogue(on = true): void {
  answersChecked = on;
}

/** Submits a catalogued transaction with its one JSON argument; answers its typed result. */
export async function submit<D extends TransactionDefinition>(
  ledger: Ledger,
  identity: LedgerIdentity,
  definition: D,
  input: InputOf<D>,
  transient?: Readonly<Record<string, Buffer>>,
): Promise<Submitted<OutputOf<D>>> {
  const scope = submitScopes.getStore();
  const nonce = scope ? await scope.next(identity) : undefined;
  const name = definition.qualifiedName;
  tell(ledger, (o) => o.submitted(name));
  let r: SubmitResult;
  try {
    r = await ledger.submit(identity, { name, args: argsOf(input), ...(transient ? { transient } : {}), ...(nonce ? { nonce } : {}) });
  } catch (err) {
    tell(ledger, (o) => o.failed(name, err instanceof LedgerError ? err.code : 'INTERNAL'));
    throw err;
  }
  tell(ledger, (o) => o.committed(name, r.readConflicts ?? 0));
  scope?.committed(r.txId);
  return { txId: r.txId, blockNumber: r.blockNumber, result: answerOf(definition, r.payload) };
}

/** Evaluates a catalogued transaction (read on the caller's peer, never ordered). */
export async function evaluate<D extends TransactionDefinition>(
  ledger: Ledger,
  identity: LedgerIdentity,
  definition: D,
  input: InputOf<D>,
): Promise<OutputOf<D>> {
  return answerOf(definition, await ledger.evaluate(identity, { name: definition.qualifiedName, args: argsOf(input) }));
}

function argsOf(input: unknown): string[] {
  return input === undefined ? [] : [JSON.stringify(input)];
}

/** Parses a transaction's answer, checked against its definition when answer checking is on. */
export function answerOf<D extends TransactionDefinition>(definition: D, payload: Buffer): OutputOf<D> {
  const value: unknown = payload.length === 0 ? null : JSON.parse(payload.toString('utf8'));
  if (answersChecked) {
    const checked = definition.output.safeParse(value);
    if (!checked.success) throw new Error(`the answer of ${definition.qualifiedName} does not match its catalogue schema: ${checked.error.message}`);
  }
  return value as OutputOf<D>;
}
