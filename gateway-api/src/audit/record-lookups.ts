import { FastifyRequest } from 'fastify';
import { callerOf } from '../plugins/auth';
import { Lookup, QueryTrail, TrailEntry } from './query-trail';

/** Records the blacklist lookups of an authenticated request's caller in the query audit trail; routes await it before answering. */
export function recordLookups(trail: QueryTrail, req: FastifyRequest, lookups: readonly Lookup[]): Promise<TrailEntry[]> {
  const caller = callerOf(req);
  return trail.append({ mspId: caller.mspId, member: caller.member, identity: caller.identity }, lookups);
}
