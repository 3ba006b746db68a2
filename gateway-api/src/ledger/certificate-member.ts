import * as x509 from '@peculiar/x509';
// county-ca.ts sets up @peculiar/x509 (Reflect metadata, the crypto provider) before it is used here.
import '../identity/county-ca';

/** Certificates seen, so the creator of every transaction in a block is parsed once (bounded). */
const memo = new Map<string, string | null>();
const MEMO_LIMIT = 2000;

/**
 * The member a certificate names: its one subject common name, read from the parsed certificate
 * (never from a formatted subject string); null when it has none, several, or does not parse.
 */
export function memberOfCertificate(pem: string): string | null {
  const known = memo.get(pem);
  if (known !== undefined) return known;
  let member: string | null;
  try {
    const names = new x509.X509Certificate(pem).subjectName.getField('CN');
    member = names.length === 1 ? (names[0] as string) : null;
  } catch {
    member = null;
  }
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(pem, member);
  return member;
}
