import { FastifyInstance } from 'fastify';
import { Ledger } from '../ledger/ledger';

const BUCKETS_MS = [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000];

interface Series {
  count: number;
  sumMs: number;
  buckets: number[];
}

/**
 * Prometheus metrics at /metrics (text format 0.0.4): requests by route, method and
 * status with a latency histogram, plus the ledger's block height. Kept in process.
 */
export function registerMetrics(app: FastifyInstance, ledger: Ledger): void {
  const series = new Map<string, Series>();
  app.addHook('onResponse', async (request, reply) => {
    const ms = reply.elapsedTime;
    const route = request.routeOptions.url ?? 'unmatched';
    const key = `method="${request.method}",route="${route}",status="${reply.statusCode}"`;
    let s = series.get(key);
    if (!s) series.set(key, (s = { count: 0, sumMs: 0, buckets: BUCKETS_MS.map(() => 0) }));
    s.count++;
    s.sumMs += ms;
    BUCKETS_MS.forEach((b, i) => {
      if (ms <= b) s.buckets[i] = (s.buckets[i] ?? 0) + 1;
    });
  });

  app.get('/metrics', { config: { public: true }, schema: { tags: ['health'], summary: 'Prometheus metrics' } }, async (_req, reply) => {
    const lines: string[] = [
      '# HELP county_ledger_http_requests_total HTTP requests answered.',
      '# TYPE county_ledger_http_requests_total counter',
    ];
    for (const [labels, s] of series) lines.push(`county_ledger_http_requests_total{${labels}} ${s.count}`);
    lines.push('# HELP county_ledger_http_request_duration_seconds Time to answer HTTP requests.', '# TYPE county_ledger_http_request_duration_seconds histogram');
    for (const [labels, s] of series) {
      BUCKETS_MS.forEach((b, i) => lines.push(`county_ledger_http_request_duration_seconds_bucket{${labels},le="${b / 1000}"} ${s.buckets[i]}`));
      lines.push(`county_ledger_http_request_duration_seconds_bucket{${labels},le="+Inf"} ${s.count}`);
      lines.push(`county_ledger_http_request_duration_seconds_sum{${labels}} ${(s.sumMs / 1000).toFixed(6)}`);
      lines.push(`county_ledger_http_request_duration_seconds_count{${labels}} ${s.count}`);
    }
    lines.push('# HELP county_ledger_block_height Blocks on the ledger.', '# TYPE county_ledger_block_height gauge', `county_ledger_block_height{ledger="${ledger.kind}"} ${await ledger.height()}`);
    return reply.type('text/plain; version=0.0.4').send(`${lines.join('\n')}\n`);
  });
}
