import { Context, Contract, Info, Transaction } from 'fabric-contract-api';

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
