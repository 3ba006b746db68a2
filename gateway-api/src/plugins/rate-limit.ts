import fastifyRateLimit from '@fastify/rate-limit';
import { FastifyInstance, onRequestHookHandler } from 'fastify';
import { ApiError } from '../errors';

export interface RateLimitOptions {
  /** Requests a client may make at once (in one window). */
  readonly burst: number;
  /** Requests per second a client may make in the long run: a window lasts burst / perSecond seconds. */
  readonly perSecond: number;
}

/** Clients (IPs) tracked at most; the least recently seen are dropped first. */
const MAX_CLIENTS = 10_000;

/**
 * One per-IP limit for every route whose URL starts with `prefix` (the public disclosure
 * routes): a client's requests to any of them draw on the same budget, `burst` requests per
 * window of burst / perSecond seconds (@fastify/rate-limit's fixed window). A client over it
 * gets 429 RATE_LIMITED (problem+json) with Retry-After. Call before the routes are added.
 */
export async function registerPublicRateLimit(app: FastifyInstance, prefix: string, options: RateLimitOptions): Promise<void> {
  const { burst, perSecond } = options;
  if (!Number.isInteger(burst) || burst < 1 || !(perSecond > 0)) throw new Error('rate limit needs an integer burst >= 1 and perSecond > 0');
  const windowMs = Math.max(1, Math.round((burst / perSecond) * 1000));
  await app.register(fastifyRateLimit, {
    global: false,
    max: burst,
    timeWindow: windowMs,
    cache: MAX_CLIENTS,
    errorResponseBuilder: (request, context) =>
      new ApiError('RATE_LIMITED', `too many requests from ${request.ip}; at most ${burst} every ${windowMs / 1000} s (retry in ${context.after})`),
  });
  // One limiter (one store) for all the routes, rather than @fastify/rate-limit's per-route config, which keeps a store per route.
  const limit = app.rateLimit() as unknown as onRequestHookHandler;
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith(prefix)) return;
    const existing = route.onRequest === undefined ? [] : Array.isArray(route.onRequest) ? route.onRequest : [route.onRequest];
    route.onRequest = [...existing, limit];
  });
}
