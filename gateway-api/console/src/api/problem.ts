/** A refusal or failure from the gateway: its problem+json `code`, shown in the user's language by ErrorAlert. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly correlationId?: string,
  ) {
    super(`${code}: ${detail}`);
  }
}

interface ProblemBody {
  code?: unknown;
  detail?: unknown;
  title?: unknown;
  correlationId?: unknown;
}

/** The one place a failed HTTP answer (or no answer) becomes an ApiError. */
export async function apiErrorOf(response: Response): Promise<ApiError> {
  let body: ProblemBody = {};
  try {
    body = (await response.json()) as ProblemBody;
  } catch {
    // not JSON (a proxy's error page): the status says enough
  }
  const code = typeof body.code === 'string' ? body.code : response.status >= 500 ? 'UNAVAILABLE' : 'HTTP_' + response.status;
  const detail = typeof body.detail === 'string' ? body.detail : typeof body.title === 'string' ? body.title : response.statusText;
  return new ApiError(response.status, code, detail, typeof body.correlationId === 'string' ? body.correlationId : undefined);
}

export const networkError = (cause: unknown): ApiError => new ApiError(0, 'NETWORK', cause instanceof Error ? cause.message : String(cause));
