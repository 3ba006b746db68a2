import { Pool } from 'undici';
import { LeanHttpClient } from './lean-http-client';

/** The benchmarks' load client: the lean one by default, undici's pool with BENCH_HTTP_CLIENT=undici. */
export interface LoadClient {
  readonly name: string;
  /** One authenticated call; rejects unless the answer is 2xx. */
  call(apiKey: string, method: 'GET' | 'POST', url: string, body?: string): Promise<void>;
  close(): Promise<void>;
}

/** A keep-alive load client of `connections` connections to `origin` (http://host:port), one request in flight on each. */
export function loadClient(origin: string, connections: number, kind = process.env.BENCH_HTTP_CLIENT ?? 'lean'): LoadClient {
  if (kind === 'undici') {
    const pool = new Pool(origin, { connections, pipelining: 1 });
    return { name: 'undici', call: (apiKey, method, url, body) => httpCall(pool, apiKey, method, url, body), close: () => pool.close() };
  }
  if (kind !== 'lean') throw new Error(`BENCH_HTTP_CLIENT must be lean or undici, not ${kind}`);
  const lean = new LeanHttpClient(origin, connections);
  return {
    name: 'lean',
    async call(apiKey, method, url, body) {
      const headers: Record<string, string> = { authorization: `Bearer ${apiKey}` };
      if (body !== undefined) headers['content-type'] = 'application/json';
      const res = await lean.request(method, url, headers, body);
      if (res.status >= 300) throw new Error(`HTTP ${res.status} ${res.body.toString('utf8').slice(0, 300)}`);
    },
    close: () => lean.close(),
  };
}

/**
 * One authenticated HTTP call on a keep-alive undici pool. undici takes far less client CPU than
 * node:http; the lean client (lean-http-client.ts) less again, and the load generator shares the
 * machine's two cores with what it measures.
 */
export async function httpCall(pool: Pool, apiKey: string, method: 'GET' | 'POST', url: string, body?: string): Promise<void> {
  const res = await pool.request({
    method,
    path: url,
    headers: { authorization: `Bearer ${apiKey}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body } : {}),
  });
  if (res.statusCode < 300) {
    await res.body.dump();
    return;
  }
  throw new Error(`HTTP ${res.statusCode} ${(await res.body.text()).slice(0, 300)}`);
}
