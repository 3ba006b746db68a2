import { CryptoCost, describeProbe, floorFigures, measureProbe, Probe } from './probe';

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
  /** The signatures and verifications one operation needs at the least (probe.ts COSTS); absent: no crypto floor. */
  readonly cost?: CryptoCost;
}

export function figures(label: string, latenciesMs: number[], failures: number, seconds: number, cost?: CryptoCost): RunFigures {
  const sorted = [...latenciesMs].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return {
    label,
    count: sorted.length,
    failures,
    seconds,
    perSecond: sorted.length / seconds,
    p50ms: at(0.5),
    p95ms: at(0.95),
    p99ms: at(0.99),
    ...(cost ? { cost } : {}),
  };
}

/**
 * The table of a run: ops/s and latencies, and with a probe the normalised figure (ops/s × seconds
 * per signature), the crypto floor of the operation on two cores and the share of it reached.
 */
export function printTable(rows: readonly RunFigures[], probe?: Probe): void {
  const header = ['run', 'ops', 'failed', 'seconds', 'ops/s', 'p50 ms', 'p95 ms', 'p99 ms', ...(probe ? ['norm', 'floor/s', 'of floor'] : [])];
  const lines = rows.map((r) => {
    const f = probe ? floorFigures(r.perSecond, r.cost, probe) : undefined;
    return [
      r.label,
      String(r.count),
      String(r.failures),
      r.seconds.toFixed(2),
      r.perSecond.toFixed(0),
      r.p50ms.toFixed(2),
      r.p95ms.toFixed(2),
      r.p99ms.toFixed(2),
      ...(f ? [f.normalised, f.floor, f.share] : []),
    ];
  });
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
 * Measures the machine (P-256 sign and verify, load average) and prints it with `label`: a run on
 * a slow phase of a shared VM can then be told from a slower program (the same machine has
 * measured one signature anywhere from 18 to 88 µs).
 */
export function machineProbe(label: string, say: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): Probe {
  const probe = measureProbe();
  say(`${label}: ${describeProbe(probe)}`);
  return probe;
}

/** An error as a benchmark prints it: its message, and the causes beneath it (a Fabric gateway error's details included). */
export function describeError(err: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = err, depth = 0; e !== undefined && depth < 4; depth++) {
    parts.push(String(e));
    const details = (e as { details?: ReadonlyArray<{ message?: string }> }).details;
    if (Array.isArray(details)) for (const d of details) parts.push(`detail: ${String(d.message)}`);
    e = e instanceof Error ? e.cause : undefined;
  }
  return parts.join(' <- ').slice(0, 600);
}
