import { Context } from 'fabric-contract-api';
import { canonicalJson } from './canonical-json';

/**
 * Fabric keeps only the last event a transaction sets, so each transaction emits
 * exactly one event, named from the constants of its domain.
 */
export function emit(ctx: Context, name: string, payload: Record<string, unknown>): void {
  ctx.stub.setEvent(name, Buffer.from(canonicalJson(payload)));
}
