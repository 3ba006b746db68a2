import { textAnswer } from '../schemas/audit';
import { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { Ledger } from '../ledger/ledger';

const BUCKETS_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

let processRegistry: Registry | undefined;

/**
 * prom-client's default metrics (process CPU and memory, heap, GC, event-loop lag). They describe
 * the process and this thread, not an app, so they are collected once per thread and shared by
 * every app built in it (tests build many).
 */
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

/**
 * Prometheus metrics at /metrics (prom-client): requests by route, method and status with a
 * latency histogram, the ledger's block height, and the default process metrics.
 */
export function registerMetrics(app: FastifyInstance, ledger: Ledger): void {
  const registry = new Registry();
  const labelNames = ['method', 'route', 'status'] as const;
  const requests = new Counter({ name: 'county_ledger_http_requests_total', help: 'HTTP requests answered.', labelNames, registers: [registry] });
  const duration = new Histogram({
    name: 'county_ledger_http_request_duration_seconds',
    help: 'Time to answer HTTP requests.',
    labelNames,
    buckets: BUCKETS_SECONDS,
    registers: [registry],
  });
  new Gauge({
    name: 'county_ledger_block_height',
    help: 'Blocks on the ledger.',
    labelNames: ['ledger'] as const,
    registers: [registry],
    async collect() {
      this.set({ ledger: ledger.kind }, await ledger.height());
    },
  });

  app.addHook('onResponse', async (request, reply) => {
    const labels = { method: request.method, route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) };
    requests.inc(labels);
    duration.observe(labels, reply.elapsedTime / 1000);
  });

  const all = Registry.merge([processMetrics(), registry]);
  app.get(
    '/metrics',
    {
      config: { public: true },
      schema: { tags: ['health'], summary: 'Prometheus metrics', response: { 200: textAnswer('Prometheus text exposition format') } },
    },
    async (_req, reply) => reply.type(all.contentType).send(await all.metrics()),
  );
}
