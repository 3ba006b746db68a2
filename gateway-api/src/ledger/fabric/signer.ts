import { KeyObject } from 'node:crypto';
import { signAsync } from '../sign-async';

// Order of the P-256 group: Fabric accepts only ECDSA signatures with s ≤ n/2 ("low S").
const P256_N = BigInt('0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551');
const HALF_N = P256_N >> 1n;

/**
 * A fabric-gateway signer on node:crypto (OpenSSL) rather than the default pure
 * JavaScript one. Use with `hash: hash.none`: the message arrives unhashed and
 * OpenSSL hashes it with SHA-256 while signing, on the signing thread (signing-thread.ts) so the
 * JavaScript thread (HTTP, gRPC) goes on meanwhile. The signature is normalised to low S.
 */
export function nodeCryptoSigner(privateKey: KeyObject): (message: Uint8Array) => Promise<Uint8Array> {
  return async (message) => lowS(await signAsync(message, privateKey));
}

export function lowS(der: Buffer): Uint8Array {
  const { r, s } = parseDer(der);
  if (s <= HALF_N) return der;
  return encodeDer(r, P256_N - s);
}

function parseDer(der: Buffer): { r: bigint; s: bigint } {
  // SEQUENCE { INTEGER r, INTEGER s } with short-form lengths (P-256 signatures are < 128 bytes).
  if (der[0] !== 0x30) throw new Error('not a DER ECDSA signature');
  let i = 2;
  const readInt = (): bigint => {
    if (der[i] !== 0x02) throw new Error('malformed DER integer');
    const len = der[i + 1] as number;
    const bytes = der.subarray(i + 2, i + 2 + len);
    i += 2 + len;
    return BigInt(`0x${bytes.toString('hex') || '0'}`);
  };
  return { r: readInt(), s: readInt() };
}

function encodeDer(r: bigint, s: bigint): Buffer {
  const int = (v: bigint): Buffer => {
    let hex = v.toString(16);
    if (hex.length % 2) hex = `0${hex}`;
    let bytes = Buffer.from(hex, 'hex');
    if ((bytes[0] as number) & 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
    return Buffer.concat([Buffer.from([0x02, bytes.length]), bytes]);
  };
  const body = Buffer.concat([int(r), int(s)]);
  return Buffer.concat([Buffer.from([0x30, body.length]), body]);
}
