import { invalidArgument } from './errors';

/**
 * The one way records are serialised: keys sorted, no whitespace, integers only.
 * Identical input gives identical bytes on every peer, so endorsements match.
 */
export function canonicalJson(value: unknown): string {
  return write(value, '$');
}

function write(value: unknown, path: string): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      // Money is fen and ratios are basis points: nothing stored is fractional.
      if (!Number.isSafeInteger(value)) throw invalidArgument(`${path} must be a safe integer, got ${value}`);
      return String(value);
    case 'object': {
      if (Array.isArray(value)) return `[${value.map((v, i) => write(v, `${path}[${i}]`)).join(',')}]`;
      // Dates, Maps, Buffers and other class instances have no own enumerable data to write: refuse them
      // rather than store "{}" (or a Buffer's byte indexes) in place of the value.
      const proto = Object.getPrototypeOf(value) as unknown;
      if (proto !== Object.prototype && proto !== null) throw invalidArgument(`${path} cannot be stored (not a plain object)`);
      const entries = Object.keys(value as Record<string, unknown>)
        .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
        .sort()
        .map((k) => `${JSON.stringify(k)}:${write((value as Record<string, unknown>)[k], `${path}.${k}`)}`);
      return `{${entries.join(',')}}`;
    }
    default:
      throw invalidArgument(`${path} cannot be stored (${typeof value})`);
  }
}
