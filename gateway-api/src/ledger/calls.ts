import { AsyncLocalStorage } from 'node:async_hooks';
import { Ledger, LedgerIdentity } from './ledger';
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
  const r = await ledger.submit(identity, {
    name: definition.qualifiedName,
    args: argsOf(input),
    ...(transient ? { transient } : {}),
    ...(nonce ? { nonce } : {}),
  });
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
