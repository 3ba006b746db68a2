import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { ClassicLevel } from 'classic-level';
import { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../errors';

interface StoredAnswer {
  readonly requestHash: string;
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** POST routes that submit a transaction honour Idempotency-Key. */
    submits?: boolean;
  }
  interface FastifyRequest {
    idempotency?: { key: string; requestHash: string; settle: (answer: StoredAnswer | undefined) => void };
  }
}

const KEY_PATTERN = /^[A-Za-z0-9_.:-]{1,128}$/;

/**
 * Idempotency-Key for submitting POSTs: the first answer (anything but a 5xx) is
 * stored per caller and key; a retry with the same key and body gets that answer
 * back and submits nothing; the same key with a different body is refused.
 * Concurrent retries wait for the first to finish.
 */
export async function registerIdempotency(app: FastifyInstance, dir: string): Promise<ClassicLevel<string, string>> {
  mkdirSync(dir, { recursive: true });
  const db = new ClassicLevel<string, string>(dir, { valueEncoding: 'utf8' });
  await db.open();
  const inFlight = new Map<string, Promise<StoredAnswer | undefined>>();
  app.addHook('onClose', async () => db.close());

  // Hooks go only on the routes that submit, so other requests pay nothing for them.
  const preHandler = async (request: FastifyRequest, reply: FastifyReply) => {
    const header = request.headers['idempotency-key'];
    if (header === undefined) return;
    if (typeof header !== 'string' || !KEY_PATTERN.test(header)) {
      throw new ApiError('INVALID_ARGUMENT', 'Idempotency-Key must be 1-128 characters of letters, digits, _ . : -');
    }
    const scope = `${request.caller?.keyId ?? 'public'}|${request.routeOptions.url}|${header}`;
    // A streamed upload is not read yet at this point: its length stands in for its body, so a
    // key reused for a different file of another size is refused; same-size files are told apart
    // by the answer itself, which names the stored file's digest.
    const bodyText = request.isMultipart()
      ? `multipart:${request.headers['content-length'] ?? 'chunked'}`
      : typeof request.body === 'string' || Buffer.isBuffer(request.body)
        ? request.body
        : JSON.stringify(request.body ?? null);
    const requestHash = createHash('sha256').update(request.url).update('\n').update(bodyText).digest('hex');

    for (;;) {
      const stored = await db.get(scope);
      if (stored !== undefined) return replay(reply, JSON.parse(stored) as StoredAnswer, requestHash);
      const running = inFlight.get(scope);
      if (!running) break;
      const answer = await running;
      if (answer) return replay(reply, answer, requestHash);
    }
    let settle!: (answer: StoredAnswer | undefined) => void;
    inFlight.set(scope, new Promise((resolve) => (settle = resolve)));
    request.idempotency = {
      key: scope,
      requestHash,
      settle: (answer) => {
        inFlight.delete(scope);
        settle(answer);
      },
    };
    return undefined;
  };

  const onSend = async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    const pending = request.idempotency;
    if (!pending) return payload;
    request.idempotency = undefined;
    if (reply.statusCode >= 500 || typeof payload !== 'string') {
      pending.settle(undefined);
      return payload;
    }
    const answer: StoredAnswer = {
      requestHash: pending.requestHash,
      status: reply.statusCode,
      contentType: String(reply.getHeader('content-type') ?? 'application/json'),
      body: payload,
    };
    await db.put(pending.key, JSON.stringify(answer));
    pending.settle(answer);
    return payload;
  };

  const onResponse = async (request: FastifyRequest) => {
    // A request that died before its answer was sent must not leave retries waiting.
    if (request.idempotency) {
      request.idempotency.settle(undefined);
      request.idempotency = undefined;
    }
  };

  app.addHook('onRoute', (route) => {
    if (!route.config?.submits) return;
    const add = <T>(existing: T | T[] | undefined, hook: T): T[] => [...(existing === undefined ? [] : Array.isArray(existing) ? existing : [existing]), hook];
    route.preHandler = add(route.preHandler, preHandler) as typeof route.preHandler;
    route.onSend = add(route.onSend, onSend) as typeof route.onSend;
    route.onResponse = add(route.onResponse, onResponse) as typeof route.onResponse;
  });
  return db;
}

function replay(reply: FastifyReply, answer: StoredAnswer, requestHash: string): FastifyReply {
  if (answer.requestHash !== requestHash) {
    throw new ApiError('IDEMPOTENCY_KEY_REUSED', 'this Idempotency-Key was already used with a different request');
  }
  return reply.code(answer.status).header('idempotent-replayed', 'true').type(answer.contentType).send(answer.body);
}
