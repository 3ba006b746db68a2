import { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../errors';

export interface RateLimitOptions {
  /** Requests a client may make in a burst. */
  readonly burst: number;
  /** Tokens added back per second. */
  readonly perSecond: number;
  /** Clients tracked at most; full buckets are dropped first when the table is full. */
  readonly maxClients?: number;
  /** Clock in milliseconds (tests). */
  readonly now?: () => number;
}

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * A per-IP token bucket for public routes, as an onRequest hook:
 * `app.addHook('onRequest', rateLimit({ burst: 30, perSecond: 1 }))`. A client out of
 * tokens gets 429 RATE_LIMITED (problem+json) with Retry-After.
 */
export function rateLimit(options: RateLimitOptions): (request: FastifyRequest, reply: FastifyReply) => Promise<void> {
  const { burst, perSecond } = options;
  if (!(burst >= 1) || !(perSecond > 0)) throw new Error('rate limit needs burst >= 1 and perSecond > 0');
  const maxClients = options.maxClients ?? 10_000;
  const now = options.now ?? Date.now;
  const buckets = new Map<string, Bucket>();

  const refill = (b: Bucket, t: number) => {
    b.tokens = Math.min(burst, b.tokens + ((t - b.at) / 1000) * perSecond);
    b.at = t;
  };

  return async (request, reply) => {
    const t = now();
    const ip = request.ip || 'unknown';
    let bucket = buckets.get(ip);
    if (!bucket) {
      if (buckets.size >= maxClients) {
        for (const [k, b] of buckets) {
          refill(b, t);
          if (b.tokens >= burst) buckets.delete(k);
        }
        if (buckets.size >= maxClients) buckets.delete(buckets.keys().next().value as string);
      }
      bucket = { tokens: burst, at: t };
      buckets.set(ip, bucket);
    } else refill(bucket, t);
    if (bucket.tokens < 1) {
      reply.header('retry-after', String(Math.max(1, Math.ceil((1 - bucket.tokens) / perSecond))));
      throw new ApiError('RATE_LIMITED', `too many requests from ${ip}; at most ${burst} at once and ${perSecond} per second after that`);
    }
    bucket.tokens -= 1;
  };
}

/** Limits for the public disclosure routes (PUBLIC_RATE_BURST, PUBLIC_RATE_PER_SECOND). */
export function publicRateLimitOptions(env: NodeJS.ProcessEnv = process.env): RateLimitOptions {
  const burst = Number(env.PUBLIC_RATE_BURST ?? 30);
  const perSecond = Number(env.PUBLIC_RATE_PER_SECOND ?? 1);
  return { burst: Number.isFinite(burst) && burst >= 1 ? burst : 30, perSecond: Number.isFinite(perSecond) && perSecond > 0 ? perSecond : 1 };
}
