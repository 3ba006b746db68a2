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

/**
 * An error and the chain of its causes as text (stacks where there are any), for the log: what a
 * 5xx answer never shows, the log keeps under the request's correlation ID.
 */
export function failureText(err: unknown): string {
  const parts: string[] = [];
  const seen = new Set<unknown>();
  for (let e: unknown = err; e !== undefined && e !== null && !seen.has(e) && parts.length < 8; e = (e as { cause?: unknown }).cause) {
    seen.add(e);
    parts.push(e instanceof Error ? (e.stack ?? `${e.name}: ${e.message}`) : String(e));
    if (!(e instanceof Error)) break;
  }
  return parts.join('\ncaused by: ');
}

/** A failure that happened in another thread (the ledger thread), known by its text only. */
export class RemoteFailure extends Error {
  constructor(text: string) {
    super(text);
    this.name = 'RemoteFailure';
    // The text is the whole story (stacks included); a stack of this thread would only mislead.
    this.stack = `RemoteFailure: ${text}`;
  }
}
