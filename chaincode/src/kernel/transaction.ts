import { z } from 'zod';

/**
 * A transaction of the chaincode as its callers see it: which contract and name fabric-shim
 * routes it by, whether it is submitted (ordered, changes state) or evaluated (read on one peer),
 * what JSON it takes and what JSON it answers. Each domain declares its transactions once, in its
 * `transactions.ts`; the gateway, the tests and the benchmarks call the ledger through these
 * definitions only, so no caller spells a transaction name.
 */
export interface TransactionDefinition<In extends z.ZodType | undefined = z.ZodType | undefined, Out extends z.ZodType = z.ZodType> {
  readonly contract: string;
  readonly name: string;
  readonly kind: 'submit' | 'evaluate';
  /** The one JSON argument's schema; undefined for a transaction that takes no argument. */
  readonly input: In;
  /** The schema of the canonical JSON the transaction answers. */
  readonly output: Out;
  /** `Contract:Transaction`, as fabric-shim's contract router expects it. */
  readonly qualifiedName: string;
}

/** What a caller passes: the schema's input type, or nothing. */
export type InputOf<D> = D extends TransactionDefinition<infer In, z.ZodType> ? (In extends z.ZodType ? z.input<In> : undefined) : never;
export type OutputOf<D> = D extends TransactionDefinition<z.ZodType | undefined, infer Out> ? z.output<Out> : never;

function define<In extends z.ZodType | undefined, Out extends z.ZodType>(
  kind: 'submit' | 'evaluate',
  contract: string,
  name: string,
  input: In,
  output: Out,
): TransactionDefinition<In, Out> {
  return Object.freeze({ contract, name, kind, input, output, qualifiedName: `${contract}:${name}` });
}

/** A transaction that changes state: ordered into a block. */
export function submitted<In extends z.ZodType | undefined, Out extends z.ZodType>(contract: string, name: string, input: In, output: Out) {
  return define('submit', contract, name, input, output);
}

/** A read-only transaction: evaluated on the caller's peer, never ordered. */
export function evaluated<In extends z.ZodType | undefined, Out extends z.ZodType>(contract: string, name: string, input: In, output: Out) {
  return define('evaluate', contract, name, input, output);
}

/** The answer of a paginated list: one page of items and the cursor of the next page, if any. */
export function pageSchema<T extends z.ZodType>(item: T) {
  return z.strictObject({ items: z.array(item), nextCursor: z.string().optional().describe('opaque cursor of the next page; absent on the last page') });
}
