/**
 * Errors are data: every rejection carries a stable code and a human message.
 * Fabric carries only a message string from chaincode to client, so the code is
 * encoded into that string here and decoded on the gateway side (decodeChaincodeError).
 */
export const ERROR_CODES = ['INVALID_ARGUMENT', 'NOT_FOUND', 'FORBIDDEN', 'CONFLICT', 'RULE_VIOLATION'] as const;
export type ChaincodeErrorCode = (typeof ERROR_CODES)[number];

const PREFIX = 'county-ledger:';
const PATTERN = /county-ledger:([A-Z_]+):\s?([\s\S]*)$/;

export class ChaincodeError extends Error {
  readonly code: ChaincodeErrorCode;
  readonly detail: string;

  constructor(code: ChaincodeErrorCode, detail: string) {
    // The message is what crosses the wire; keep the code inside it.
    super(`${PREFIX}${code}: ${detail}`);
    this.name = 'ChaincodeError';
    this.code = code;
    this.detail = detail;
  }
}

export const invalidArgument = (detail: string): ChaincodeError => new ChaincodeError('INVALID_ARGUMENT', detail);
export const notFound = (detail: string): ChaincodeError => new ChaincodeError('NOT_FOUND', detail);
export const forbidden = (detail: string): ChaincodeError => new ChaincodeError('FORBIDDEN', detail);
export const conflict = (detail: string): ChaincodeError => new ChaincodeError('CONFLICT', detail);
export const ruleViolation = (detail: string): ChaincodeError => new ChaincodeError('RULE_VIOLATION', detail);

/** Finds an encoded chaincode error anywhere in a transport message (Fabric wraps it in its own text). */
export function decodeChaincodeError(message: string): { code: ChaincodeErrorCode; detail: string } | undefined {
  const match = PATTERN.exec(message);
  if (!match) return undefined;
  const code = match[1] as ChaincodeErrorCode;
  if (!ERROR_CODES.includes(code)) return undefined;
  return { code, detail: (match[2] ?? '').trim() };
}
