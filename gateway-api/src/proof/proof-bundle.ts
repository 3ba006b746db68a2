import { tx } from '../../../chaincode/src/public';
import { evaluate } from '../ledger/calls';
import { LedgerError } from '../ledger/errors';
import { Ledger, LedgerIdentity } from '../ledger/ledger';
import { PROOF_FORMAT, ProofBundle, Revocation } from '../verify/bundle';
import { evidenceRecordKey } from '../verify/checks';
import { fingerprintOf } from '../verify/crypto';

/**
 * Makes the proof bundle of an anchored file (docs/proof-bundle.md) for a caller who may read
 * its record: the record as the caller reads it (Evidence:Get, so FORBIDDEN and NOT_FOUND are
 * the chaincode's), the ledger's part (Ledger.proofOf: the transaction, the block, their
 * signatures and the roots of trust, embedded or Fabric alike) and the revocations on the
 * ledger of every certificate that signed, with the block each was committed in.
 */
export async function makeProofBundle(ledger: Ledger, identity: LedgerIdentity, sha256: string, now: Date = new Date()): Promise<ProofBundle> {
  const { record } = await evaluate(ledger, identity, tx.evidence.get, { sha256 });
  const recordKey = evidenceRecordKey(sha256);
  const part = await ledger.proofOf(record.txId, recordKey);
  if (!part) throw new LedgerError('NOT_FOUND', `the ledger has the record of ${sha256} but not its transaction ${record.txId}`);
  const signers = [part.transaction.creator, ...part.transaction.endorsements, ...part.block.signatures];
  return {
    format: PROOF_FORMAT,
    ledger: part.ledger,
    channel: part.channel,
    chaincode: part.chaincode,
    issuedAt: now.toISOString(),
    issuedBy: identity.mspId,
    evidence: record,
    recordKey,
    transaction: part.transaction,
    block: part.block,
    trust: { ...part.trust, revocations: await revocationsOf(ledger, identity, signers) },
  };
}

/** The ledger's revocations (Membership records) of the given certificates, each with the block its transaction was committed in. */
async function revocationsOf(ledger: Ledger, identity: LedgerIdentity, signers: ReadonlyArray<{ mspId: string; certificate: string }>): Promise<Revocation[]> {
  const seen = new Set<string>();
  const out: Revocation[] = [];
  for (const s of signers) {
    const sha256 = fingerprintOf(s.certificate);
    if (!sha256 || seen.has(`${s.mspId}/${sha256}`)) continue;
    seen.add(`${s.mspId}/${sha256}`);
    let revocation;
    try {
      revocation = await evaluate(ledger, identity, tx.membership.getCertificateRevocation, { mspId: s.mspId, sha256 });
    } catch (err) {
      if (err instanceof LedgerError && err.code === 'NOT_FOUND') continue;
      throw err;
    }
    const committed = await ledger.getTransaction(revocation.txId);
    if (!committed) throw new LedgerError('INTERNAL', `the revocation of ${sha256} names transaction ${revocation.txId}, which the ledger does not have`);
    out.push({ mspId: s.mspId, sha256, block: committed.blockNumber, txId: revocation.txId });
  }
  return out;
}
