import { generateKeyPairSync, sign } from 'node:crypto';

/** Latency percentiles and throughput from a run's samples. */
export interface RunFigures {
  readonly label: string;
  readonly count: number;
  readonly failures: number;
  readonly seconds: number;
  readonly perSecond: number;
  readonly p50ms: number;
  readonly p95ms: number;
  readonly p99ms: number;
}

export function figures(label: string, latenciesMs: number[], failures: number, seconds: number): RunFigures {
  const sorted = [...latenciesMs].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { label, count: sorted.length, failures, seconds, perSecond: sorted.length / seconds, p50ms: at(0.5), p95ms: at(0.95), p99ms: at(0.99) };
}

export function printTable(rows: readonly RunFigures[]): void {
  const header = ['run', 'ops', 'failed', 'seconds', 'ops/s', 'p50 ms', 'p95 ms', 'p99 ms'];
  const lines = rows.map((r) => [
    r.label,
    String(r.count),
    String(r.failures),
    r.seconds.toFixed(2),
    r.perSecond.toFixed(0),
    r.p50ms.toFixed(2),
    r.p95ms.toFixed(2),
    r.p99ms.toFixed(2),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)));
  const fmt = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  process.stdout.write(`${fmt(header)}\n${lines.map(fmt).join('\n')}\n`);
}

/** Runs `op` from `concurrency` workers until `total` operations were started. */
export async function drive(
  total: number,
  concurrency: number,
  op: (i: number) => Promise<unknown>,
): Promise<{ latencies: number[]; failures: number; seconds: number; firstError?: unknown }> {
  const latencies: number[] = [];
  let failures = 0;
  let next = 0;
  let firstError: unknown;
  const started = process.hrtime.bigint();
  const worker = async () => {
    for (;;) {
      const i = next++;
      if (i >= total) return;
      const t0 = process.hrtime.bigint();
      try {
        await op(i);
        latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
      } catch (err) {
        failures++;
        firstError ??= err;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { latencies, failures, seconds, firstError };
}

/**
 * A fixed piece of CPU work timed before a benchmark, so a run on a slow phase of a shared VM can be
 * told from a slower program: the same machine has measured this anywhere from 27 to 43 µs.
 */
export function machineProbe(): string {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const message = Buffer.alloc(300, 1);
  for (let i = 0; i < 200; i++) sign('sha256', message, privateKey);
  const rounds = 2000;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < rounds; i++) sign('sha256', message, privateKey);
  const us = Number(process.hrtime.bigint() - t0) / rounds / 1000;
  return `machine probe: one P-256 signature takes ${us.toFixed(1)} µs (lower is a faster machine)`;
}
