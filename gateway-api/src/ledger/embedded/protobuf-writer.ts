/**
 * The few protobuf wire-format rules a proposal needs, written by hand: building
 * a proposal with google-protobuf message objects cost more than running the
 * chaincode itself. Fields are emitted in field-number order and proto3 defaults
 * are left out, as google-protobuf does, so the bytes are the same (a test
 * compares them). Decoding stays with fabric-shim's own protobuf code.
 */

const WIRE_VARINT = 0;
const WIRE_LENGTH_DELIMITED = 2;

/** One field of a message: a non-negative integer, or bytes / a string / an encoded sub-message. */
export type Field = readonly [fieldNumber: number, value: number | Uint8Array | string | undefined];

function varintLength(n: number): number {
  let length = 1;
  while (n >= 0x80) {
    n = Math.floor(n / 128);
    length++;
  }
  return length;
}

function writeVarint(out: Buffer, pos: number, n: number): number {
  while (n >= 0x80) {
    out[pos++] = (n % 128) | 0x80;
    n = Math.floor(n / 128);
  }
  out[pos++] = n;
  return pos;
}

/**
 * Encodes a message. Integer fields (varint, non-negative up to 2^53) are left out
 * when 0; string and bytes fields when empty, unless `keepEmpty` says the field is a
 * set sub-message or a repeated/map element, which protobuf writes even when empty.
 */
export function encodeMessage(fields: ReadonlyArray<Field | readonly [number, Uint8Array | string, 'keepEmpty']>): Buffer {
  const parts: Array<{ tag: number; int?: number; bytes?: Buffer }> = [];
  let size = 0;
  for (const field of fields) {
    const [number, value] = field;
    if (value === undefined) continue;
    if (typeof value === 'number') {
      if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`field ${number}: ${value} is not a non-negative integer`);
      if (value === 0) continue;
      const tag = (number << 3) | WIRE_VARINT;
      parts.push({ tag, int: value });
      size += varintLength(tag) + varintLength(value);
    } else {
      const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
      if (bytes.length === 0 && field[2] !== 'keepEmpty') continue;
      const tag = (number << 3) | WIRE_LENGTH_DELIMITED;
      parts.push({ tag, bytes });
      size += varintLength(tag) + varintLength(bytes.length) + bytes.length;
    }
  }
  const out = Buffer.allocUnsafe(size);
  let pos = 0;
  for (const part of parts) {
    pos = writeVarint(out, pos, part.tag);
    if (part.bytes) {
      pos = writeVarint(out, pos, part.bytes.length);
      pos += part.bytes.copy(out, pos);
    } else {
      pos = writeVarint(out, pos, part.int as number);
    }
  }
  return out;
}

/** A map<string, bytes> field as protobuf writes it: one entry message per key, keys in sorted order. */
export function mapEntries(fieldNumber: number, map: Readonly<Record<string, Uint8Array>>): Array<readonly [number, Buffer, 'keepEmpty']> {
  return Object.keys(map)
    .sort()
    .map(
      (key) =>
        [
          fieldNumber,
          encodeMessage([
            [1, key, 'keepEmpty'],
            [2, map[key] as Uint8Array, 'keepEmpty'],
          ]),
          'keepEmpty',
        ] as const,
    );
}
