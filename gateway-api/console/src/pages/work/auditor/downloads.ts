import { api, saveBlob } from '../../../api/client';

/** An anchored file's proof bundle (JSON, checked offline by county-ledger-verify) and its evidence certificate (PDF). */
export async function downloadProof(sha256: string): Promise<void> {
  saveBlob(await api.blob(`/evidence/${sha256}/proof`), `proof-${sha256}.json`);
}
export async function downloadCertificate(sha256: string): Promise<void> {
  saveBlob(await api.blob(`/evidence/${sha256}/certificate`), `evidence-certificate-${sha256}.pdf`);
}

/** The SHA-256 of an evidence record's world-state key (`\0evidence\0<sha256>\0`), if the key is one. */
export function evidenceDigestOfKey(key: string): string | undefined {
  return /^\u0000evidence\u0000([0-9a-f]{64})\u0000$/.exec(key)?.[1];
}

/** A composite key made readable: its NUL separators shown as slashes. */
export const readableKey = (key: string): string => key.replace(/\u0000/g, '/');
