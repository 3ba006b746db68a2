import { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { ApiError, ApiErrorCode, HTTP_STATUS } from '../errors';
import { failureText, LedgerError } from '../ledger/errors';

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Payload Too Large',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
  507: 'Insufficient Storage',
};

export interface Problem {
  type: string;
  title: string;
  status: number;
  code: ApiErrorCode;
  detail: string;
  instance: string;
  transactionId?: string;
  /** 5xx only: the request's ID, under which the gateway log holds the cause. */
  correlationId?: string;
}

/** `extra`: members a problem type adds (RFC 9457 extension members), e.g. a running audit's progress. */
export function sendProblem(
  reply: FastifyReply,
  request: FastifyRequest,
  code: ApiErrorCode,
  detail: string,
  transactionId?: string,
  extra: Readonly<Record<string, unknown>> = {},
): FastifyReply {
  const status = HTTP_STATUS[code];
  const problem: Problem = {
    ...extra,
    type: `https://county-ledger.example/errors/${code.toLowerCase().replace(/_/g, '-')}`,
    title: TITLES[status] ?? 'Error',
    status,
    code,
    detail,
    instance: request.url,
    ...(transactionId ? { transactionId } : {}),
    ...(status >= 500 ? { correlationId: String(request.id) } : {}),
  };
  return reply.code(status).type('application/problem+json').send(problem);
}

/**
 * The one place errors become HTTP answers: ledger and gateway codes map to a
 * status; anything unexpected is a 500 whose detail never reveals internals.
 */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | LedgerError | ApiError, request, reply) => {
    if (error instanceof LedgerError || error instanceof ApiError) {
      const status = HTTP_STATUS[error.code];
      // The answer says only that it failed, and under which correlation ID; the log says why.
      if (status >= 500 && error instanceof LedgerError)
        request.log.error({ err: error, correlationId: request.id, failure: failureText(error) }, `ledger failure: ${error.code}: ${error.message}`);
      else if (status >= 500) request.log.error({ err: error, correlationId: request.id }, `gateway failure: ${error.code}: ${error.message}`);
      // A gateway 5xx of its own (507) says what to do; a ledger one never shows internals.
      const detail = status >= 500 && error instanceof LedgerError ? 'the ledger could not complete the request; try again later' : error.message;
      return sendProblem(reply, request, error.code, detail, error instanceof LedgerError ? error.transactionId : undefined);
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const detail = error.validation
        .slice(0, 5)
        .map((v) => `${error.validationContext ?? 'request'}${v.instancePath ? v.instancePath.replace(/\//g, '.') : ''}: ${v.message}`)
        .join('; ');
      return sendProblem(reply, request, 'INVALID_ARGUMENT', detail);
    }
    const fe = error as FastifyError;
    if (fe.code === 'FST_REQ_FILE_TOO_LARGE' || fe.statusCode === 413) return sendProblem(reply, request, 'PAYLOAD_TOO_LARGE', fe.message);
    if (fe.statusCode === 429) return sendProblem(reply, request, 'RATE_LIMITED', fe.message);
    if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) return sendProblem(reply, request, 'INVALID_ARGUMENT', fe.message);
    request.log.error({ err: error, correlationId: request.id, failure: failureText(error) }, 'unhandled error');
    return sendProblem(reply, request, 'INTERNAL', 'an internal error occurred');
  });
  app.setNotFoundHandler((request, reply) => sendProblem(reply, request, 'NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}`));
}
