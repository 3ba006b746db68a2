import { Context, Contract } from 'fabric-contract-api';
import { forbidden, notFound } from './errors';
import { CERTIFICATE_REVOCATION_TYPE, creatorFingerprint } from './identity';

/** Shared behaviour of every County Ledger contract. Holds no transaction functions. */
export abstract class CountyContract extends Contract {
  /**
   * Runs before every transaction function of every contract, submitted or evaluated: a
   * certificate its county has revoked (Membership:RevokeCertificate / OffboardMember) is refused
   * FORBIDDEN before the function runs, so it writes nothing. One key read, [creator's MSP ID,
   * creator certificate's SHA-256]; it is in the transaction's read set, so a transaction endorsed
   * before the revocation and ordered after it fails MVCC validation instead of committing.
   * Nothing is exempt: a revoked certificate may not even ask who it is.
   */
  override async beforeTransaction(ctx: Context): Promise<void> {
    const fingerprint = creatorFingerprint(ctx);
    const mspId = ctx.clientIdentity.getMSPID();
    const revocation = await ctx.stub.getState(ctx.stub.createCompositeKey(CERTIFICATE_REVOCATION_TYPE, [mspId, fingerprint]));
    if (revocation && revocation.length > 0) throw forbidden(`the caller's certificate (sha256 ${fingerprint}) was revoked by ${mspId}`);
  }

  override async unknownTransaction(ctx: Context): Promise<void> {
    const { fcn } = ctx.stub.getFunctionAndParameters();
    throw notFound(`no transaction ${fcn} in contract ${this.getName()}`);
  }
}
