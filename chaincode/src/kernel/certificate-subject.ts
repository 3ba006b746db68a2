/**
 * The subject of an X.509 certificate, read from its DER encoding: the attributes of the Name as
 * the certificate holds them, one entry per attribute, in order. Never parsed from a formatted
 * string such as fabric-shim's "x509::/C=CN/OU=admin/CN=alice::…", whose escaping lets crafted
 * values ("mallory//OU=admin") pass for other attributes. Deterministic and dependency-free, so
 * every endorsing peer reads the same subject.
 */

export interface SubjectAttribute {
  /** Dotted OID, e.g. 2.5.4.3 (commonName). */
  readonly oid: string;
  readonly value: string;
  /** Index of the relative distinguished name the attribute belongs to (several = multi-valued RDN). */
  readonly rdn: number;
}

export const OID_COMMON_NAME = '2.5.4.3';
export const OID_ORGANISATION = '2.5.4.10';
export const OID_ORGANISATIONAL_UNIT = '2.5.4.11';

interface Tlv {
  readonly tag: number;
  readonly start: number;
  readonly end: number;
}

class DerError extends Error {}

function readTlv(der: Uint8Array, at: number, limit: number): Tlv {
  if (at + 2 > limit) throw new DerError('truncated');
  const tag = der[at] as number;
  if ((tag & 0x1f) === 0x1f) throw new DerError('high tag numbers are not used in certificates');
  let length = der[at + 1] as number;
  let start = at + 2;
  if (length & 0x80) {
    const bytes = length & 0x7f;
    if (bytes === 0 || bytes > 4) throw new DerError('bad length');
    length = 0;
    for (let i = 0; i < bytes; i++) length = length * 256 + (der[start + i] as number);
    start += bytes;
  }
  const end = start + length;
  if (end > limit) throw new DerError('length past the end');
  return { tag, start, end };
}

function children(der: Uint8Array, parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let at = parent.start; at < parent.end;) {
    const child = readTlv(der, at, parent.end);
    out.push(child);
    at = child.end;
  }
  return out;
}

function oidOf(der: Uint8Array, t: Tlv): string {
  if (t.tag !== 0x06 || t.end === t.start) throw new DerError('expected an OID');
  const first = der[t.start] as number;
  const parts = [Math.min(2, Math.floor(first / 40)), first - 40 * Math.min(2, Math.floor(first / 40))];
  let value = 0;
  for (let i = t.start + 1; i < t.end; i++) {
    const b = der[i] as number;
    value = value * 128 + (b & 0x7f);
    if (!(b & 0x80)) {
      parts.push(value);
      value = 0;
    }
  }
  return parts.join('.');
}

function stringOf(der: Uint8Array, t: Tlv): string {
  const bytes = der.subarray(t.start, t.end);
  switch (t.tag) {
    case 0x0c: // UTF8String
      return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    case 0x13: // PrintableString
    case 0x16: // IA5String
    case 0x14: // TeletexString, read as Latin-1 as X.509 practice does
      return String.fromCharCode(...bytes);
    case 0x1e: {
      // BMPString: UTF-16 big-endian
      if (bytes.length % 2) throw new DerError('odd BMPString');
      let s = '';
      for (let i = 0; i < bytes.length; i += 2) s += String.fromCharCode(((bytes[i] as number) << 8) | (bytes[i + 1] as number));
      return s;
    }
    default:
      throw new DerError(`attribute value of ASN.1 type ${t.tag} is not a string`);
  }
}

/** The subject attributes of a DER certificate; throws on anything that is not a well-formed certificate. */
export function subjectOfCertificate(der: Uint8Array): SubjectAttribute[] {
  try {
    const certificate = readTlv(der, 0, der.length);
    if (certificate.tag !== 0x30) throw new DerError('not a SEQUENCE');
    const [tbs] = children(der, certificate);
    if (!tbs || tbs.tag !== 0x30) throw new DerError('no TBSCertificate');
    const fields = children(der, tbs);
    // version [0] is optional; then serialNumber, signature, issuer, validity, subject
    const offset = fields[0]?.tag === 0xa0 ? 1 : 0;
    const subject = fields[offset + 4];
    if (!subject || subject.tag !== 0x30) throw new DerError('no subject Name');
    const out: SubjectAttribute[] = [];
    children(der, subject).forEach((rdn, index) => {
      if (rdn.tag !== 0x31) throw new DerError('an RDN is not a SET');
      for (const atv of children(der, rdn)) {
        const [type, value, extra] = children(der, atv);
        if (atv.tag !== 0x30 || !type || !value || extra) throw new DerError('bad AttributeTypeAndValue');
        out.push({ oid: oidOf(der, type), value: stringOf(der, value), rdn: index });
      }
    });
    return out;
  } catch (err) {
    if (err instanceof DerError || err instanceof TypeError) throw new Error(`the certificate subject cannot be read: ${err.message}`, { cause: err });
    throw err;
  }
}

/**
 * The serial number (hex of its DER content) and the issuer Name (its DER bytes) of a DER
 * certificate, which must be exactly one certificate with nothing after it; throws otherwise.
 */
export function issuerOfCertificate(der: Uint8Array): { serialNumber: string; issuer: Uint8Array } {
  try {
    const certificate = readTlv(der, 0, der.length);
    if (certificate.tag !== 0x30) throw new DerError('not a SEQUENCE');
    if (certificate.end !== der.length) throw new DerError('bytes after the certificate');
    const [tbs] = children(der, certificate);
    if (!tbs || tbs.tag !== 0x30) throw new DerError('no TBSCertificate');
    const fields = children(der, tbs);
    const offset = fields[0]?.tag === 0xa0 ? 1 : 0;
    const serial = fields[offset];
    const issuer = fields[offset + 2];
    if (!serial || serial.tag !== 0x02 || serial.end === serial.start) throw new DerError('no serial number');
    if (!issuer || issuer.tag !== 0x30) throw new DerError('no issuer Name');
    return { serialNumber: Buffer.from(der.subarray(serial.start, serial.end)).toString('hex'), issuer: der.subarray(issuer.start, issuer.end) };
  } catch (err) {
    if (err instanceof DerError || err instanceof TypeError) throw new Error(`the certificate cannot be read: ${err.message}`, { cause: err });
    throw err;
  }
}

/** The DER bytes of the first certificate in a PEM text. */
export function derOfPem(pem: string): Uint8Array {
  const m = /-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]+)-----END CERTIFICATE-----/.exec(pem);
  if (!m) throw new Error('the creator is not a PEM certificate');
  return Buffer.from((m[1] as string).replace(/\s+/g, ''), 'base64');
}
