import { apiErrorOf, networkError } from './problem';
import { session } from '../session';

/** The gateway's API, relative to the page: the console is served by the same gateway. */
export const API_BASE = new URL('api/v1/', new URL('.', window.location.href)).pathname;

type Query = Record<string, string | number | boolean | undefined>;

function urlOf(path: string, query?: Query): string {
  const url = API_BASE + path.replace(/^\//, '');
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== '') params.set(k, String(v));
  const qs = params.toString();
  return qs ? `${url}?${qs}` : url;
}

function headersOf(extra: Record<string, string> = {}): Record<string, string> {
  const key = session.apiKey.value;
  return { ...(key ? { authorization: `Bearer ${key}` } : {}), ...extra };
}

async function send(method: string, path: string, init: { query?: Query; body?: BodyInit; headers?: Record<string, string> }): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(urlOf(path, init.query), { method, headers: headersOf(init.headers), body: init.body });
  } catch (e) {
    throw networkError(e);
  }
  if (!response.ok) throw await apiErrorOf(response);
  return response;
}

/**
 * A fresh Idempotency-Key per user action. getRandomValues exists outside secure contexts too
 * (randomUUID does not), so the console also works over plain HTTP on a county's LAN.
 */
export function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return 'console-' + Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export const api = {
  async get<T>(path: string, query?: Query): Promise<T> {
    return (await (await send('GET', path, { query })).json()) as T;
  },
  async post<T>(path: string, body: unknown, idempotencyKey: string = newIdempotencyKey()): Promise<T> {
    const response = await send('POST', path, {
      body: JSON.stringify(body ?? {}),
      headers: { 'content-type': 'application/json', 'idempotency-key': idempotencyKey },
    });
    return (await response.json()) as T;
  },
  async put<T>(path: string, body: unknown, idempotencyKey: string = newIdempotencyKey()): Promise<T> {
    const response = await send('PUT', path, {
      body: JSON.stringify(body ?? {}),
      headers: { 'content-type': 'application/json', 'idempotency-key': idempotencyKey },
    });
    return (await response.json()) as T;
  },
  async delete<T>(path: string, idempotencyKey: string = newIdempotencyKey()): Promise<T> {
    return (await (await send('DELETE', path, { headers: { 'idempotency-key': idempotencyKey } })).json()) as T;
  },
  /** A file download (CSV, PDF, proof bundle), as a Blob. */
  async blob(path: string, query?: Query): Promise<Blob> {
    return (await send('GET', path, { query })).blob();
  },
  /**
   * A multipart upload with progress (fetch cannot report upload progress; XMLHttpRequest can).
   * `fields` go before the file, as the gateway reads them first.
   */
  upload<T>(path: string, file: File, fields: Record<string, string>, onProgress: (fraction: number) => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const form = new FormData();
      for (const [k, v] of Object.entries(fields)) form.append(k, v);
      form.append('file', file, file.name);
      const xhr = new XMLHttpRequest();
      xhr.open('POST', urlOf(path));
      for (const [k, v] of Object.entries(headersOf({ 'idempotency-key': newIdempotencyKey() }))) xhr.setRequestHeader(k, v);
      xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
      xhr.onerror = () => reject(networkError(new Error('upload failed')));
      xhr.onload = async () => {
        const response = new Response(xhr.responseText, { status: xhr.status, headers: { 'content-type': xhr.getResponseHeader('content-type') ?? '' } });
        if (!response.ok) return reject(await apiErrorOf(response));
        onProgress(1);
        resolve((await response.json()) as T);
      };
      xhr.send(form);
    });
  },
  /** The URL of an API path, for EventSource-less streaming reads done with fetch. */
  urlOf,
  headersOf,
};

/** Saves a Blob as a file, the way a browser download does. */
export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
