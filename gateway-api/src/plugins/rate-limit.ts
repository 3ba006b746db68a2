import fastifyRateLimit from '@fastify/rate-limit';
import { FastifyInstance, FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify';
import { ApiError } from '../errors';

export interface RateLimitOptions {
  /** Requests a client may make at once (in one window). */
  readonly burst: number;
  /** Requests per second a client may make in the long run: a window lasts burst / perSecond seconds. */
  readonly perSecond: number;
}

/** How often one client may fail to authenticate before it is refused with 429. */
export interface AuthFailureLimit {
  /** Failed authentications a client IP may make in one window. */
  readonly max: number;
  readonly windowMs: number;
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
  const { burst } = options;
  const windowMs = windowOf(options);
  await registerRateLimitPlugin(app);
  // One limiter (one store) for all the routes, rather than @fastify/rate-limit's per-route config, which keeps a store per route.
  const limit = app.rateLimit({
    max: burst,
    timeWindow: windowMs,
    cache: MAX_CLIENTS,
    errorResponseBuilder: (request, context) =>
      new ApiError('RATE_LIMITED', `too many requests from ${request.ip}; at most ${burst} every ${windowMs / 1000} s (retry in ${context.after})`),
  }) as unknown as onRequestHookHandler;
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith(prefix)) return;
    const existing = route.onRequest === undefined ? [] : Array.isArray(route.onRequest) ? route.onRequest : [route.onRequest];
    route.onRequest = [...existing, limit];
  });
}

function windowOf({ burst, perSecond }: RateLimitOptions): number {
  if (!Number.isInteger(burst) || burst < 1 || !(perSecond > 0)) throw new Error('rate limit needs an integer burst >= 1 and perSecond > 0');
  return Math.max(1, Math.round((burst / perSecond) * 1000));
}

/** @fastify/rate-limit, once per app, with no limit of its own: each limiter below brings its options and its own store. */
async function registerRateLimitPlugin(app: FastifyInstance): Promise<void> {
  if (!app.hasDecorator('rateLimit')) await app.register(fastifyRateLimit, { global: false, cache: MAX_CLIENTS });
}

/** The limits the authentication hook (plugins/auth.ts) applies around checking a credential. */
export interface AuthLimits {
  /** Refuses with 429 RATE_LIMITED (and Retry-After) a client IP that has used up its failed authentications. */
  refuseIfFailedTooOften(request: FastifyRequest, reply: FastifyReply): Promise<void>;
  /** Counts a credential that did not authenticate against the client IP. */
  recordFailure(request: FastifyRequest): Promise<void>;
  /** Counts an authenticated request against its credential (`credential`: a key id or certificate), refusing with 429 over budget. */
  perCredential(request: FastifyRequest, reply: FastifyReply, credential: string): Promise<void>;
}

/**
 * Failed authentications per client IP: at most `failures.max` per fixed window; the window
 * starts at the first failure. Over it, every request that needs authentication is refused
 * with 429 until the window ends, a right key too, so guessing cannot go on behind the 429s.
 * The count is @fastify/rate-limit's store, read without counting (`increment: false`) before
 * a credential is checked and incremented only when it fails.
 *
 * Authenticated requests per credential: `perKey.burst` per window of burst / perSecond
 * seconds (like the /public limit), keyed by API key id or client certificate; false: none.
 */
export async function registerAuthLimits(app: FastifyInstance, failures: AuthFailureLimit, perKey: RateLimitOptions | false): Promise<AuthLimits> {
  if (!Number.isInteger(failures.max) || failures.max < 1 || !(failures.windowMs > 0))
    throw new Error('the failed-authentication limit needs max >= 1 and windowMs > 0');
  await registerRateLimitPlugin(app);
  // `cache` sizes this limiter's own store (LocalStore.child reads it) though CreateRateLimitOptions does not declare it.
  const failedOptions = { max: failures.max, timeWindow: Math.max(1, Math.round(failures.windowMs)), cache: MAX_CLIENTS };
  const failed = app.createRateLimit(failedOptions as Parameters<FastifyInstance['createRateLimit']>[0]);
  const credentials = new WeakMap<FastifyRequest, string>();
  let perKeyLimit: ((request: FastifyRequest, reply: FastifyReply) => Promise<void>) | undefined;
  if (perKey) {
    const windowMs = windowOf(perKey);
    perKeyLimit = app.rateLimit({
      max: perKey.burst,
      timeWindow: windowMs,
      cache: MAX_CLIENTS,
      keyGenerator: (request) => credentials.get(request) ?? request.ip,
      errorResponseBuilder: (_request, context) =>
        new ApiError('RATE_LIMITED', `too many requests with this credential; at most ${perKey.burst} every ${windowMs / 1000} s (retry in ${context.after})`),
    }) as unknown as (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
  }
  return {
    async refuseIfFailedTooOften(request, reply) {
      const state = await failed(request, { increment: false });
      if (state.isAllowed || state.remaining > 0) return;
      reply.header('retry-after', state.ttlInSeconds);
      throw new ApiError(
        'RATE_LIMITED',
        `too many failed authentications from ${request.ip}; at most ${failures.max} every ${failures.windowMs / 1000} s (retry in ${state.ttlInSeconds} s)`,
      );
    },
    async recordFailure(request) {
      await failed(request);
    },
    async perCredential(request, reply, credential) {
      if (!perKeyLimit) return;
      credentials.set(request, credential);
      await perKeyLimit(request, reply);
    },
  };
}
