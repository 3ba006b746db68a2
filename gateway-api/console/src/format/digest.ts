import { createSHA256, createSM3 } from 'hash-wasm';

/**
 * SHA-256 (WebCrypto) and SM3 (hash-wasm: WebCrypto has no SM3) of a file, computed in the browser:
 * a file that is only verified never leaves the user's machine. SM3 is fed in 1 MiB slices so a
 * 25 MiB file reports progress. WebCrypto exists only in a secure context (HTTPS, or localhost):
 * a console opened over plain HTTP on a county's LAN address uses hash-wasm's SHA-256 instead.
 */
export async function fileDigests(file: Blob, onProgress: (fraction: number) => void = () => undefined): Promise<{ sha256: string; sm3: string }> {
  const sm3 = await createSM3();
  const fallbackSha = globalThis.crypto?.subtle ? undefined : await createSHA256();
  sm3.init();
  fallbackSha?.init();
  const slice = 1 << 20;
  for (let at = 0; at < file.size; at += slice) {
    const bytes = new Uint8Array(await file.slice(at, at + slice).arrayBuffer());
    sm3.update(bytes);
    fallbackSha?.update(bytes);
    onProgress(Math.min(0.9, ((at + slice) / Math.max(file.size, 1)) * 0.9));
  }
  const sha256 = fallbackSha ? fallbackSha.digest('hex') : hex(new Uint8Array(await crypto.subtle.digest('SHA-256', await file.arrayBuffer())));
  onProgress(1);
  return { sha256, sm3: sm3.digest('hex') };
}

const hex = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
