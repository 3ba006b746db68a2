import { decodeChaincodeError } from '../../../chaincode/src/public';

/**
 * The gateway's error family. Transport errors (embedded or Fabric) are turned
 * into these in exactly one place per ledger implementation, via fromChaincodeMessage.
 */
export const LEDGER_ERROR_CODES = [
  'INVALID_ARGUMENT',
  'NOT_FOUND',
  'FORBIDDEN',
  'CONFLICT',
  'RULE_VIOLATION',
  'UNAUTHENTICATED',
  'PAYLOAD_TOO_LARGE',
  'MVCC_CONFLICT',
  'UNAVAILABLE',
  'INTERNAL',
] as const;
export type LedgerErrorCode = (typeof LEDGER_ERROR_CODES)[number];

export interface LedgerErrorOptions {
  readonly cause?: unknown;
  readonly transactionId?: string;
}

export class LedgerError extends Error {
  readonly code: LedgerErrorCode;
  readonly transactionId?: string;

  constructor(code: LedgerErrorCode, message: string, options: LedgerErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'LedgerError';
    this.code = code;
    if (options.transactionId !== undefined) this.transactionId = options.transactionId;
  }
}

/** Converts a chaincode failure message into a LedgerError, keeping the chaincode's code when present. */
export function fromChaincodeMessage(message: string, options: LedgerErrorOptions = {}): LedgerError {
  const decoded = decodeChaincodeError(message);
  if (decoded) return new LedgerError(decoded.code, decoded.detail, options);
  // fabric-contract-api's own argument checks (wrong arity or type, unknown contract) are caller mistakes.
  if (/^Expected \d+ parameters|Contract name is not known|but got|^fromBuffer could not convert data|^Unable to validate parameter/.test(message)) {
    return new LedgerError('INVALID_ARGUMENT', message, options);
  }
  return new LedgerError('INTERNAL', 'the chaincode failed unexpectedly', { ...options, cause: new Error(message) });
}
