import { Pool } from 'undici';

/**
 * One authenticated HTTP call on a keep-alive pool, as the benchmarks' load clients make it.
 * undici takes far less client CPU than node:http, and the load generator shares the
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
