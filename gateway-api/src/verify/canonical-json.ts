/**
 * Canonical JSON as the embedded ledger writes blocks: object keys sorted, no whitespace,
 * safe integers only. The verifier's own copy of the chaincode's rule
 * (chaincode/src/kernel/canonical-json.ts), so that checking a proof needs no chaincode code;
 * test/verify/embedded-format.test.ts holds the two to the same bytes.
 */
export function canonicalJson(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isSafeInteger(value)) throw new TypeError(`not a safe integer: ${value}`);
      return String(value);
    case 'object': {
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ',') + canonicalJson(value[i]);
        return `${out}]`;
      }
      const proto = Object.getPrototypeOf(value) as unknown;
      if (proto !== Object.prototype && proto !== null) throw new TypeError('not a plain object');
      const record = value as Record<string, unknown>;
      let out = '{';
      let first = true;
      for (const k of Object.keys(record).sort()) {
        const v = record[k];
        if (v === undefined) continue;
        out += `${first ? '' : ','}${JSON.stringify(k)}:${canonicalJson(v)}`;
        first = false;
      }
      return `${out}}`;
    }
    default:
      throw new TypeError(`cannot be written as JSON: ${typeof value}`);
  }
}
