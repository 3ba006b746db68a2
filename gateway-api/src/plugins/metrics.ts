import { textAnswer } from '../schemas/audit';
import { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { Ledger } from '../ledger/ledger';
import { observeTransactions } from '../ledger/calls';

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
 * latency histogram, the ledger's block height, the transactions this gateway submitted (by
 * transaction; then committed or failed, by code; read conflicts re-run on the way), and the
 * default process metrics. Success rate: committed / (committed + failed).
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
      // A ledger that cannot be read (fail-stopped, peer down) keeps its last height: /metrics must answer then most of all.
      try {
        this.set({ ledger: ledger.kind }, await ledger.height());
      } catch {
        // the last value stays
      }
    },
  });

  const transaction = ['transaction'] as const;
  const submitted = new Counter({
    name: 'county_ledger_transactions_submitted_total',
    help: 'Transactions this gateway submitted to the ledger.',
    labelNames: transaction,
    registers: [registry],
  });
  const outcomes = new Counter({
    name: 'county_ledger_transactions_total',
    help: 'Submitted transactions by outcome: committed (code VALID) or failed (code: the error code, e.g. RULE_VIOLATION, MVCC_CONFLICT, UNAVAILABLE).',
    labelNames: ['transaction', 'outcome', 'code'] as const,
    registers: [registry],
  });
  const readConflicts = new Counter({
    name: 'county_ledger_read_conflicts_total',
    help: 'Attempts invalidated by a read conflict (MVCC_READ_CONFLICT or PHANTOM_READ_CONFLICT) and re-run by the ledger client.',
    labelNames: transaction,
    registers: [registry],
  });
  const stop = observeTransactions(ledger, {
    submitted: (name) => submitted.inc({ transaction: name }),
    committed: (name, conflicts) => {
      outcomes.inc({ transaction: name, outcome: 'committed', code: 'VALID' });
      if (conflicts > 0) readConflicts.inc({ transaction: name }, conflicts);
    },
    failed: (name, code) => outcomes.inc({ transaction: name, outcome: 'failed', code }),
  });
  app.addHook('onClose', async () => stop());

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
