import { Context, Contract } from 'fabric-contract-api';
import { notFound } from './errors';

/** Shared behaviour of every County Ledger contract. Holds no transaction functions. */
export abstract class CountyContract extends Contract {
  override async unknownTransaction(ctx: Context): Promise<void> {
    const { fcn } = ctx.stub.getFunctionAndParameters();
    throw notFound(`no transaction ${fcn} in contract ${this.getName()}`);
  }
}
