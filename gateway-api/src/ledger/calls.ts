import { Ledger, LedgerIdentity } from './ledger';

/** A submitted transaction's answer as the API returns it. */
export interface Submitted<T = unknown> {
  readonly txId: string;
  readonly blockNumber: number;
  readonly result: T;
}

/** Submits a chaincode transaction that takes one JSON argument and answers JSON. */
export async function submitJson<T = unknown>(
  ledger: Ledger,
  identity: LedgerIdentity,
  name: string,
  input?: unknown,
  transient?: Readonly<Record<string, Buffer>>,
): Promise<Submitted<T>> {
  const args = input === undefined ? [] : [JSON.stringify(input)];
  const r = await ledger.submit(identity, { name, args, ...(transient ? { transient } : {}) });
  return { txId: r.txId, blockNumber: r.blockNumber, result: parse(r.payload) as T };
}

export async function evaluateJson<T = unknown>(ledger: Ledger, identity: LedgerIdentity, name: string, input?: unknown): Promise<T> {
  const args = input === undefined ? [] : [JSON.stringify(input)];
  return parse(await ledger.evaluate(identity, { name, args })) as T;
}

function parse(payload: Buffer): unknown {
  return payload.length === 0 ? null : JSON.parse(payload.toString('utf8'));
}
