/**
 * Blacklist check benchmark: does the cost of a check grow with the size of the list?
 * Seeds 1,000 entries on the embedded ledger, measures single checks (latency) and bulk
 * checks of 1,000 codes (throughput), seeds up to 100,000 entries and measures again,
 * and prints both side by side with their ratio (target < 2).
 *
 * Seeding goes through a bench-only contract that writes SEED_BATCH entries per
 * transaction with the Credit contract's own writeEntry(); issuing 100,000 entries one
 * transaction each (with their basis credit events) would take far longer on 2 cores.
 *
 *   npm run bench:blacklist
 *   BENCH_LARGE=100000 BENCH_SINGLE=3000 BENCH_BULK=30 npm run bench:blacklist
 */
import { tx } from '../../chaincode/src/catalogue';
import '../../gateway-api/src/quiet-logs';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { contracts } from '../../chaincode/src/index';
import { DEFAULT_COUNTIES } from '../../gateway-api/src/identity/counties';
import { Wallet } from '../../gateway-api/src/identity/wallet';
import { EmbeddedLedger } from '../../gateway-api/src/ledger/embedded/embedded-ledger';
import { LedgerIdentity } from '../../gateway-api/src/ledger/ledger';
import { BLACKLIST_BENCH_SEED, benchSubject, BlacklistBenchContract } from './blacklist-bench-contract';
import { COSTS, meanProbe } from './probe';
import { drive, figures, machineProbe, printTable, RunFigures } from './stats';

const SMALL = Number(process.env.BENCH_SMALL ?? 1000);
const LARGE = Number(process.env.BENCH_LARGE ?? 100_000);
const SEED_BATCH = Number(process.env.BENCH_SEED_BATCH ?? 200);
const SEED_CONCURRENCY = Number(process.env.BENCH_SEED_CONCURRENCY ?? 16);
const SINGLE = Number(process.env.BENCH_SINGLE ?? 3000);
const BULK = Number(process.env.BENCH_BULK ?? 30);
const BULK_SIZE = 1000;

async function seed(ledger: EmbeddedLedger, id: LedgerIdentity, from: number, to: number): Promise<number> {
  const started = Date.now();
  const batches = Math.ceil((to - from) / SEED_BATCH);
  const r = await drive(batches, SEED_CONCURRENCY, (b) => {
    const start = from + b * SEED_BATCH;
    return ledger.submit(id, { name: BLACKLIST_BENCH_SEED, args: [String(start), String(Math.min(SEED_BATCH, to - start))] });
  });
  if (r.firstError) throw r.firstError;
  return (Date.now() - started) / 1000;
}

/**
 * The code of check `i`: even checks ask about a listed subject, odd ones about a subject
 * never listed. Both sizes use the same access pattern (1,000 listed subjects spread evenly
 * over the whole list, 1,000 unlisted ones, in the same order), so the only difference
 * between the runs is how many entries the ledger holds.
 */
const SAMPLE = 1000;
function codeFor(i: number, listed: number): string {
  const j = (Math.floor(i / 2) * 7) % SAMPLE;
  return i % 2 === 0 ? benchSubject(j * Math.floor(listed / SAMPLE)) : benchSubject(10_000_000 + j);
}

async function measure(
  ledger: EmbeddedLedger,
  id: LedgerIdentity,
  listed: number,
): Promise<{ single: RunFigures; bulk: RunFigures; bulkCodesPerSecond: number }> {
  // Warm-up (JIT) on codes outside the measured set.
  await drive(200, 4, (i) =>
    ledger.evaluate(id, { name: tx.credit.checkSubject.qualifiedName, args: [JSON.stringify({ subjectId: benchSubject(20_000_000 + i) })] }),
  );
  const s = await drive(SINGLE, 4, async (i) => {
    const r = JSON.parse(
      (await ledger.evaluate(id, { name: tx.credit.checkSubject.qualifiedName, args: [JSON.stringify({ subjectId: codeFor(i, listed) })] })).toString('utf8'),
    );
    if (r.blacklisted !== (i % 2 === 0)) throw new Error(`check of ${codeFor(i, listed)} answered ${r.blacklisted}`);
  });
  if (s.firstError) throw s.firstError;
  const b = await drive(BULK, 2, async (k) => {
    const codes = Array.from({ length: BULK_SIZE }, (_, j) => codeFor(k * BULK_SIZE + j, listed));
    const r = JSON.parse((await ledger.evaluate(id, { name: tx.credit.checkSubjects.qualifiedName, args: [JSON.stringify({ codes })] })).toString('utf8'));
    if (r.count !== BULK_SIZE) throw new Error('bulk check answered the wrong count');
  });
  if (b.firstError) throw b.firstError;
  const bulk = figures(`bulk check x${BULK_SIZE} @ ${listed}`, b.latencies, b.failures, b.seconds);
  return {
    single: figures(`single check @ ${listed}`, s.latencies, s.failures, s.seconds),
    bulk,
    bulkCodesPerSecond: (b.latencies.length * BULK_SIZE) / b.seconds,
  };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cl-bench-blacklist-'));
  try {
    const wallet = await Wallet.open(path.join(dir, 'wallet'), DEFAULT_COUNTIES);
    await wallet.issue('LiangdangMSP', 'bench', 'client');
    const id = wallet.ledgerIdentity('LiangdangMSP', 'bench');
    const open = async () =>
      EmbeddedLedger.open({
        dataDir: path.join(dir, 'ledger'),
        contracts: [...contracts, BlacklistBenchContract],
        trustedCas: wallet.trustedCas(),
        endorsers: wallet.endorsers(),
        ordering: await wallet.ordering(),
      });
    // Each size is measured on a freshly opened ledger (cold state cache), after LevelDB settles.
    const reopen = async (l: EmbeddedLedger) => {
      await l.close();
      await new Promise((r) => setTimeout(r, 2000));
      return open();
    };
    let ledger = await open();
    const before = machineProbe('before');
    process.stdout.write(
      `blacklist check benchmark: ${SMALL} vs ${LARGE} entries; ${SINGLE} single checks, ${BULK} bulk checks of ${BULK_SIZE}; ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown'}), Node ${process.version}\n`,
    );
    let t = await seed(ledger, id, 0, SMALL);
    process.stdout.write(`seeded ${SMALL} entries in ${t.toFixed(1)} s (${SEED_BATCH} per transaction)\n`);
    ledger = await reopen(ledger);
    const small = await measure(ledger, id, SMALL);
    t = await seed(ledger, id, SMALL, LARGE);
    process.stdout.write(
      `seeded ${LARGE - SMALL} more entries in ${t.toFixed(1)} s (${((LARGE - SMALL) / t).toFixed(0)} entries/s, ${await ledger.height()} blocks)\n`,
    );
    ledger = await reopen(ledger);
    const large = await measure(ledger, id, LARGE);
    await ledger.close();
    printTable(
      [small.single, large.single, small.bulk, large.bulk].map((r) => ({ ...r, cost: COSTS.evaluate })),
      meanProbe(before, machineProbe('after')),
    );
    const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);
    const rows: Array<[string, number, number, number]> = [
      ['single check p50 (ms)', small.single.p50ms, large.single.p50ms, ratio(large.single.p50ms, small.single.p50ms)],
      ['single check p99 (ms)', small.single.p99ms, large.single.p99ms, ratio(large.single.p99ms, small.single.p99ms)],
      ['bulk check (codes/s)', small.bulkCodesPerSecond, large.bulkCodesPerSecond, ratio(small.bulkCodesPerSecond, large.bulkCodesPerSecond)],
    ];
    process.stdout.write(
      `\n${'figure'.padEnd(24)}${`@ ${SMALL}`.padStart(12)}${`@ ${LARGE}`.padStart(12)}${'ratio'.padStart(8)}  (cost at ${LARGE} / cost at ${SMALL}; target < 2)\n`,
    );
    for (const [label, a, b, r] of rows)
      process.stdout.write(
        `${label.padEnd(24)}${a.toFixed(2).padStart(12)}${b.toFixed(2).padStart(12)}${r.toFixed(2).padStart(8)}  ${r < 2 ? 'ok' : 'OVER TARGET'}\n`,
      );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
