import { CommitError, CommitStatusError, EndorseError, GatewayError } from '@hyperledger/fabric-gateway';
import { fromChaincodeMessage, LedgerError } from '../errors';
import { validationCodeName } from './blocks';

// gRPC status codes that mean "the network could not be reached or timed out".
const UNAVAILABLE_GRPC = new Set([4 /* DEADLINE_EXCEEDED */, 14 /* UNAVAILABLE */, 1 /* CANCELLED */]);

/** A transaction the peers marked invalid: read conflicts can be retried, anything else is internal. */
export function commitFailure(validationCode: number, transactionId: string, cause?: unknown): LedgerError {
  const name = validationCodeName(validationCode);
  const code = name === 'MVCC_READ_CONFLICT' || name === 'PHANTOM_READ_CONFLICT' ? 'MVCC_CONFLICT' : 'INTERNAL';
  return new LedgerError(code, `transaction invalidated at commit: ${name}`, { transactionId, ...(cause === undefined ? {} : { cause }) });
}

/** A peer refused to endorse a proposal whose transaction ID it has committed already. */
export function isDuplicateTransaction(err: unknown): boolean {
  if (!(err instanceof GatewayError)) return false;
  return [err.message, ...err.details.map((d) => d.message)].some((t) => /duplicate transaction found/.test(t));
}

/**
 * The one place Fabric client errors become LedgerErrors. A chaincode refusal
 * arrives inside the endorsement error details as "chaincode response 500,
 * county-ledger:<CODE>: ..." and is decoded to the same code the embedded ledger gives.
 */
export function toLedgerError(err: unknown): LedgerError {
  if (err instanceof LedgerError) return err;
  if (err instanceof CommitError) return commitFailure(err.code, err.transactionId, err);
  if (err instanceof GatewayError) {
    const transactionId =
      err instanceof EndorseError || err instanceof CommitStatusError
        ? err.transactionId
        : 'transactionId' in err && typeof err.transactionId === 'string'
          ? err.transactionId
          : undefined;
    const texts = [...err.details.map((d) => d.message), err.message];
    // The endorsing peers disagreed (different results, or one refused what another accepted): they
    // simulated at different heights, one not yet having committed a block the other had. Nothing
    // was ordered, so it is retried like a read conflict; a refusal all endorsers agree on is below.
    if (err instanceof EndorseError && texts.some((t) => /ProposalResponsePayloads do not match/.test(t)))
      return new LedgerError('MVCC_CONFLICT', 'the endorsing peers read different versions', { cause: err, transactionId });
    for (const text of texts) {
      if (/county-ledger:[A-Z_]+:/.test(text)) return fromChaincodeMessage(text, { transactionId, cause: err });
    }
    if (UNAVAILABLE_GRPC.has(err.code)) return new LedgerError('UNAVAILABLE', 'the Fabric network cannot be reached', { cause: err, transactionId });
    const chaincodeText = texts.find((t) => /chaincode response/.test(t));
    if (chaincodeText) return fromChaincodeMessage(chaincodeText.replace(/^.*chaincode response \d+,\s*/s, ''), { transactionId, cause: err });
    if (/MVCC_READ_CONFLICT|PHANTOM_READ_CONFLICT/.test(texts.join(' ')))
      return new LedgerError('MVCC_CONFLICT', 'read conflict', { cause: err, transactionId });

    return new LedgerError('INTERNAL', 'the Fabric gateway failed the request', { cause: err, transactionId });
  }
  return new LedgerError('INTERNAL', 'unexpected ledger failure', { cause: err });
}
