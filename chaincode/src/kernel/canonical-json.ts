import { invalidArgument } from './errors';

/**
 * The one way records are serialised: keys sorted, no whitespace, integers only.
 * Identical input gives identical bytes on every peer, so endorsements match.
 */
export function canonicalJson(value: unknown): string {
  const path: Array<string | number> = [];
  return write(value, path);
}

// The path is only turned into text when a value is refused, so the happy path allocates nothing for it.
function where(path: ReadonlyArray<string | number>): string {
  return `$${path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('')}`;
}

function write(value: unknown, path: Array<string | number>): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      // Money is fen and ratios are basis points: nothing stored is fractional.
      if (!Number.isSafeInteger(value)) throw invalidArgument(`${where(path)} must be a safe integer, got ${value}`);
      return String(value);
    case 'object': {
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i++) {
          path.push(i);
          out += (i === 0 ? '' : ',') + write(value[i], path);
          path.pop();
        }
        return `${out}]`;
      }
      // Dates, Maps, Buffers and other class instances have no own enumerable data to write: refuse them
      // rather than store "{}" (or a Buffer's byte indexes) in place of the value.
      const proto = Object.getPrototypeOf(value) as unknown;
      if (proto !== Object.prototype && proto !== null) throw invalidArgument(`${where(path)} cannot be stored (not a plain object)`);
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record).sort();
      let out = '{';
      let first = true;
      for (const k of keys) {
        const v = record[k];
        if (v === undefined) continue;
        path.push(k);
        out += `${first ? '' : ','}${JSON.stringify(k)}:${write(v, path)}`;
        path.pop();
        first = false;
      }
      return `${out}}`;
    }
    default:
      throw invalidArgument(`${where(path)} cannot be stored (${typeof value})`);
  }
}
