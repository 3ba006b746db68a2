import { LEDGER_ERROR_CODES, LedgerErrorCode } from './ledger/errors';

/** Every error code the API answers with, and its HTTP status. docs/errors.md lists exactly these. */
export const API_ERROR_CODES = [...LEDGER_ERROR_CODES, 'RATE_LIMITED', 'IDEMPOTENCY_KEY_REUSED', 'INSUFFICIENT_STORAGE'] as const;
export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

export const HTTP_STATUS: Readonly<Record<ApiErrorCode, number>> = {
  INVALID_ARGUMENT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  MVCC_CONFLICT: 409,
  IDEMPOTENCY_KEY_REUSED: 422,
  RULE_VIOLATION: 422,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  UNAVAILABLE: 503,
  INSUFFICIENT_STORAGE: 507,
} satisfies Record<ApiErrorCode, number> & Record<LedgerErrorCode, number>;

/** An error raised by the gateway itself (not the ledger), carrying an API error code. */
export class ApiError extends Error {
  readonly code: ApiErrorCode;
  constructor(code: ApiErrorCode, message: string) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
  }
}
