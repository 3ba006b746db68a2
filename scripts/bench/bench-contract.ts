import { Context, Contract, Info, Transaction } from 'fabric-contract-api';

/**
 * The bench contract's transactions, by name: positional string arguments rather than one JSON
 * argument, so the benchmark measures the ledger rather than input parsing.
 */
export const BENCH_TRANSACTIONS = { put: 'Bench:Put', get: 'Bench:Get' } as const;

/**
 * Benchmark-only contract: one-record write and read, so the figures measure the
 * ledger and gateway path rather than a domain rule. Never part of the chaincode.
 */
@Info({ title: 'Bench', description: 'single-record write and read for benchmarks' })
export class BenchContract extends Contract {
  constructor() {
    super('Bench');
  }

  @Transaction()
  async Put(ctx: Context, key: string, value: string): Promise<string> {
    await ctx.stub.putState(ctx.stub.createCompositeKey('bench', [key]), Buffer.from(value));
    return key;
  }

  @Transaction(false)
  async Get(ctx: Context, key: string): Promise<string> {
    return Buffer.from(await ctx.stub.getState(ctx.stub.createCompositeKey('bench', [key]))).toString('utf8');
  }
}
