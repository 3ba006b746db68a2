import { createHash } from 'node:crypto';
import { peer } from '@hyperledger/fabric-protos-v3';

/**
 * What Hyperledger Fabric hashes and signs, in one place for the ledger that reads Fabric blocks
 * and the verifier that checks them (as github.com/hyperledger/fabric/protoutil computes them):
 * - block header bytes: the ASN.1 DER SEQUENCE { number INTEGER, previous_hash OCTET STRING,
 *   data_hash OCTET STRING }; the header hash, which the next block names, is its SHA-256;
 * - block data hash: SHA-256 of the block's data entries (envelopes) concatenated;
 * - a block signature (SIGNATURES metadata) covers metadata value ‖ signature header ‖ header bytes;
 * - a transaction's creator signs the envelope's payload bytes;
 * - an endorser signs proposal response payload ‖ its own serialized identity bytes;
 * - the proposal hash an endorsement names is SHA-256 of channel header ‖ signature header ‖
 *   chaincode proposal payload (without transient data).
 */

export function blockHeaderBytes(header: { number: number | bigint; previousHash: Uint8Array; dataHash: Uint8Array }): Buffer {
  return derSequence([derInteger(BigInt(header.number)), derOctets(Buffer.from(header.previousHash)), derOctets(Buffer.from(header.dataHash))]);
}

export function blockHeaderHash(header: { number: number | bigint; previousHash: Uint8Array; dataHash: Uint8Array }): Buffer {
  return createHash('sha256').update(blockHeaderBytes(header)).digest();
}

export function blockDataHash(entries: readonly Uint8Array[]): Buffer {
  const h = createHash('sha256');
  for (const e of entries) h.update(e);
  return h.digest();
}

export function blockSignatureBytes(metadataValue: Uint8Array, signatureHeader: Uint8Array, headerBytes: Uint8Array): Buffer {
  return Buffer.concat([metadataValue, signatureHeader, headerBytes]);
}

export function endorsementBytes(proposalResponsePayload: Uint8Array, endorser: Uint8Array): Buffer {
  return Buffer.concat([proposalResponsePayload, endorser]);
}

export function proposalHash(channelHeader: Uint8Array, signatureHeader: Uint8Array, chaincodeProposalPayload: Uint8Array): Buffer {
  return createHash('sha256').update(channelHeader).update(signatureHeader).update(chaincodeProposalPayload).digest();
}

const VALIDATION_NAMES: Record<number, string> = Object.fromEntries(Object.entries(peer.TxValidationCode).map(([name, code]) => [code as number, name]));

export function validationCodeName(code: number): string {
  return VALIDATION_NAMES[code] ?? `CODE_${code}`;
}

function derLength(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function derInteger(v: bigint): Buffer {
  let hex = v.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  let bytes = Buffer.from(hex, 'hex');
  if ((bytes[0] as number) & 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
  return Buffer.concat([Buffer.from([0x02]), derLength(bytes.length), bytes]);
}

function derOctets(b: Buffer): Buffer {
  return Buffer.concat([Buffer.from([0x04]), derLength(b.length), b]);
}

function derSequence(items: Buffer[]): Buffer {
  const body = Buffer.concat(items);
  return Buffer.concat([Buffer.from([0x30]), derLength(body.length), body]);
}

function varint(n: number): Buffer {
  const out: number[] = [];
  let v = n;
  while (v >= 0x80) {
    out.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return Buffer.from(out);
}

function readVarint(buf: Buffer, at: number): [number, number] | undefined {
  let value = 0;
  let scale = 1;
  for (let i = at; i < buf.length && i < at + 10; i++) {
    const b = buf[i] as number;
    value += (b & 0x7f) * scale;
    scale *= 128;
    if ((b & 0x80) === 0) return [value, i + 1];
  }
  return undefined;
}

/**
 * A protobuf message's bytes with its bytes field `field` set to `value`, every other field kept
 * byte for byte (so the result equals the message exactly when the field already held `value`).
 * A missing field is put first, where Fabric's marshalling puts field 1. Undefined when the bytes
 * are not a well-formed message.
 */
export function withBytesField(message: Uint8Array, field: number, value: Uint8Array): Buffer | undefined {
  const buf = Buffer.from(message);
  const replacement = Buffer.concat([varint((field << 3) | 2), varint(value.length), value]);
  const parts: Buffer[] = [];
  let found = false;
  for (let at = 0; at < buf.length;) {
    const tag = readVarint(buf, at);
    if (!tag) return undefined;
    const [key, afterTag] = tag;
    const wire = key & 7;
    let end: number;
    if (wire === 0) {
      const v = readVarint(buf, afterTag);
      if (!v) return undefined;
      end = v[1];
    } else if (wire === 1) end = afterTag + 8;
    else if (wire === 5) end = afterTag + 4;
    else if (wire === 2) {
      const len = readVarint(buf, afterTag);
      if (!len) return undefined;
      end = len[1] + len[0];
    } else return undefined;
    if (end > buf.length) return undefined;
    if (Math.floor(key / 8) === field && wire === 2) {
      parts.push(replacement);
      found = true;
    } else parts.push(buf.subarray(at, end));
    at = end;
  }
  return found ? Buffer.concat(parts) : Buffer.concat([replacement, ...parts]);
}
