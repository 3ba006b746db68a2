/**
 * Growth benchmark: does the embedded ledger stay as fast as it grows? An embedded ledger is grown
 * to each of BENCH_SCALE_POINTS transactions (default 10,000, 100,000, 1,000,000) by a bulk loader
 * through the real endorse-and-commit path, with a mix of real transactions: 65% bench puts of
 * ~100-byte values, 30% evidence anchors (distinct digests, 16 merchants), 5% credit events
 * (fulfilment records on 72 subjects, which contend), with a progress line (tx/s, ETA) every 15 s.
 * At each point it measures:
 *   - submits (Bench:Put, 256 in flight) and evaluates (Bench:Get of loaded keys, 64 in flight):
 *     rate, p99, normalised, share of the crypto floor (the median of BENCH_SCALE_ROUNDS rounds, default
 *     3, each between two machine probes) — once right after the load ("fresh", while
 *     LevelDB compacts what the burst wrote) and again once LevelDB's compactions have stopped
 *     ("settled": its statistics unchanged for 3 s, at most BENCH_SCALE_SETTLE_S, default 300 s);
 *   - a blacklist check (Credit:CheckSubject) and the blacklist's first page (Credit:ListBlacklist);
 *   - resident memory, JS heap, Buffers and the state cache after a full collection, before the audit;
 *   - the whole-chain audit with every signature (BENCH_SCALE_AUDIT=0 leaves it out);
 *   - start-up: the ledger closed and opened again (the store's head check), and the resident
 *     memory after it; disk bytes per transaction; LevelDB's table files per level.
 * The goal: at 1,000,000 transactions at least 90% of the submit and evaluate rates at 10,000.
 *
 *   npm run bench:scale
 *   BENCH_SCALE_POINTS=10000,100000 npm run bench:scale
 */
import '../../gateway-api/src/quiet-logs';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { tx } from '../../chaincode/src/catalogue';
import { contracts } from '../../chaincode/src/index';
import { ApiKeyStore } from '../../gateway-api/src/auth/api-keys';
import { DEFAULT_COUNTIES } from '../../gateway-api/src/identity/counties';
import { Wallet } from '../../gateway-api/src/identity/wallet';
import { EmbeddedLedger } from '../../gateway-api/src/ledger/embedded/embedded-ledger';
import { LedgerIdentity, TransactionRequest } from '../../gateway-api/src/ledger/ledger';
import { BENCH_TRANSACTIONS, BenchContract } from './bench-contract';
import { Actor, embeddedEnv, F, H, hex, L, setUp } from './domain-cast';
import { du, seconds } from './grow-ledger';
import { COSTS, floorFigures, meanProbe, normalised, Probe } from './probe';
import { drive, figures, machineProbe, RunFigures } from './stats';

const POINTS = (process.env.BENCH_SCALE_POINTS ?? '10000,100000,1000000').split(',').map(Number);
const LOAD_CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 512);
const SUBMITS = Number(process.env.BENCH_SCALE_SUBMITS ?? 5000);
const EVALUATES = Number(process.env.BENCH_SCALE_EVALUATES ?? 20000);
/** Rounds of submits and evaluates per measurement, each between two probes; the median round (normalised) is reported. */
const ROUNDS = Number(process.env.BENCH_SCALE_ROUNDS ?? 3);
const CHECKS = Number(process.env.BENCH_SCALE_CHECKS ?? 1000);
const LISTS = Number(process.env.BENCH_SCALE_LISTS ?? 200);
const AUDIT = process.env.BENCH_SCALE_AUDIT !== '0';
const SETTLE_SECONDS = Number(process.env.BENCH_SCALE_SETTLE_S ?? 300);
const PROGRESS_MS = 15_000;

const say = (line: string) => process.stdout.write(`${line}\n`);

/** Submit and evaluate figures of one measurement: of each, the median of ROUNDS rounds (normalised), with that round's probe. */
interface Rates {
  readonly submit: RunFigures;
  readonly submitProbe: Probe;
  readonly evaluate: RunFigures;
  readonly evaluateProbe: Probe;
}

interface Memory {
  readonly rssMiB: number;
  readonly heapMiB: number;
  /** The JS heap's committed size: what V8 holds from the system, used or not. */
  readonly heapTotalMiB: number;
  /** Memory behind Buffers and other ArrayBuffers (outside the JS heap). */
  readonly arrayBuffersMiB: number;
}

interface Point {
  readonly transactions: number;
  readonly blocks: number;
  readonly loadTxPerSecond: number;
  readonly fresh: Rates;
  readonly settleSeconds: number;
  readonly settled: Rates;
  readonly check: RunFigures;
  readonly list: RunFigures;
  readonly serving: Memory;
  readonly cacheEntries: number;
  readonly auditSeconds: number | undefined;
  readonly startSeconds: number;
  readonly reopened: Memory;
  readonly bytesPerTx: number;
  readonly levelFiles: string;
  readonly compactionWriteMiB: number;
  readonly probe: Probe;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The process's memory after a full collection where the process allows it (node --expose-gc): what stays, not what waits for the collector. */
function memoryNow(): Memory {
  (globalThis as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  return { rssMiB: m.rss / 2 ** 20, heapMiB: m.heapUsed / 2 ** 20, heapTotalMiB: m.heapTotal / 2 ** 20, arrayBuffersMiB: m.arrayBuffers / 2 ** 20 };
}

/** LevelDB's table files per level (levels 0–6, the empty deeper ones left out) and the MiB its compactions wrote so far. */
function levelFigures(ledger: EmbeddedLedger): { files: string; writeMiB: number } {
  const counts = Array.from({ length: 7 }, (_, i) => Number(ledger.store.levelProperty(`leveldb.num-files-at-level${i}`)));
  while (counts.length > 1 && counts[counts.length - 1] === 0) counts.pop();
  // leveldb.stats: one row per level, "level files size(MB) time(s) read(MB) write(MB)".
  const rows = ledger.store
    .levelProperty('leveldb.stats')
    .split('\n')
    .filter((line) => /^\s*\d+\s/.test(line));
  const writeMiB = rows.reduce((sum, line) => sum + Number(line.trim().split(/\s+/)[5] ?? 0), 0);
  return { files: counts.join('/'), writeMiB };
}

/** Waits until LevelDB's compactions have stopped (its statistics unchanged for 3 s), at most `maxSeconds`; answers the seconds waited. */
async function settle(ledger: EmbeddedLedger, maxSeconds: number): Promise<number> {
  const t0 = process.hrtime.bigint();
  let previous = ledger.store.levelProperty('leveldb.stats');
  let unchanged = 0;
  while (unchanged < 3 && seconds(t0) < maxSeconds) {
    await sleep(1000);
    const now = ledger.store.levelProperty('leveldb.stats');
    unchanged = now === previous ? unchanged + 1 : 0;
    previous = now;
  }
  return seconds(t0);
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cl-bench-scale-'));
  say(
    `growth benchmark: points ${POINTS.join(', ')} transactions (65% bench puts, 30% evidence anchors, 5% credit events; ${LOAD_CONCURRENCY} in flight); ` +
      `${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown'}), Node ${process.version}`,
  );
  try {
    const wallet = await Wallet.open(path.join(dir, 'wallet'), DEFAULT_COUNTIES);
    const ledgerDir = path.join(dir, 'ledger');
    const open = async () =>
      EmbeddedLedger.open({
        dataDir: ledgerDir,
        contracts: [...contracts, BenchContract],
        trustedCas: wallet.trustedCas(),
        endorsers: wallet.endorsers(),
        ordering: await wallet.ordering(),
      });
    let ledger = await open();
    const cast = await setUp(embeddedEnv(ledger, wallet, await ApiKeyStore.open(path.join(dir, 'api-keys.json'))), 16);
    await wallet.issue(L, 'bench', 'client');
    const bench = wallet.ledgerIdentity(L, 'bench');
    const regulatorOf: Record<string, Actor> = cast.regulators;
    const subjects = [
      ...cast.sellers.map((p) => ({ subject: p.subject, regulator: regulatorOf[L] as Actor })),
      ...cast.buyers.map((p) => ({ subject: p.subject, regulator: regulatorOf[H] as Actor })),
      ...cast.checked.map((subject) => ({ subject, regulator: regulatorOf[F] as Actor })),
    ];
    let loaded = 0;
    let benchKeys = 0;
    /** The loader's transaction i: what it is decided by i alone, so a run is the same mix every time. */
    const loadOp = (i: number): [LedgerIdentity, TransactionRequest] => {
      const k = i % 20;
      if (k < 13) return [bench, { name: BENCH_TRANSACTIONS.put, args: [`key-${benchKeys++}`, `value-${i}-${'v'.repeat(80)}`] }];
      if (k < 19) {
        const p = cast.sellers[i % cast.sellers.length]!;
        const input = {
          sha256: hex(`file ${i}`),
          sm3: hex(`sm3 ${i}`),
          sizeBytes: 1000 + (i % 5000),
          mediaType: 'application/pdf',
          refs: { subjectIds: [p.subject] },
        };
        return [p.merchant.identity, { name: tx.evidence.anchor.qualifiedName, args: [JSON.stringify(input)] }];
      }
      const s = subjects[i % subjects.length]!;
      const input = { subjectId: s.subject, kind: 'fulfilment', summary: `contract ${i} fulfilled`, evidenceRefs: ['doc:f'] };
      return [s.regulator.identity, { name: tx.credit.recordEvent.qualifiedName, args: [JSON.stringify(input)] }];
    };
    const points: Point[] = [];
    const last = POINTS[POINTS.length - 1] as number;
    let measurementSubmits = 0;
    const rates = async (target: number, label: string): Promise<Rates> => {
      const rounds: Array<{ submit: RunFigures; evaluate: RunFigures; probe: Probe }> = [];
      for (let round = 0; round < ROUNDS; round++) {
        const before = machineProbe(`${label} at ${target}, round ${round + 1}`);
        const blocks0 = await ledger.height();
        const s = await drive(SUBMITS, 256, (i) =>
          ledger.submit(bench, { name: BENCH_TRANSACTIONS.put, args: [`s${target}-${label}-${round}-${i}`, `value-${i}`] }),
        );
        measurementSubmits += SUBMITS;
        const perBlock = SUBMITS / Math.max(1, (await ledger.height()) - blocks0);
        // Keys spread over everything loaded so far, so reads reach old and new parts of the store.
        const stride = Math.max(1, Math.floor(benchKeys / EVALUATES));
        const e = await drive(EVALUATES, 64, (i) =>
          ledger.evaluate(bench, { name: BENCH_TRANSACTIONS.get, args: [`key-${(i * stride + round + (i % 7)) % benchKeys}`] }),
        );
        for (const [what, x] of [
          ['submit', s],
          ['evaluate', e],
        ] as const)
          if (x.firstError) say(`${what} (${label}) at ${target}: ${x.failures} failed, first: ${String(x.firstError).slice(0, 300)}`);
        rounds.push({
          submit: figures('submit', s.latencies, s.failures, s.seconds, COSTS.embeddedSubmit(perBlock)),
          evaluate: figures('evaluate', e.latencies, e.failures, e.seconds, COSTS.evaluate),
          probe: meanProbe(before, machineProbe(`after ${label} at ${target}, round ${round + 1}`)),
        });
      }
      // The shared machine's speed moves within seconds: the median round of each is the figure.
      const median = (of: (r: (typeof rounds)[number]) => RunFigures) =>
        [...rounds].sort((a, b) => normalised(of(a).perSecond, a.probe) - normalised(of(b).perSecond, b.probe))[
          Math.floor(rounds.length / 2)
        ] as (typeof rounds)[number];
      const s = median((r) => r.submit);
      const e = median((r) => r.evaluate);
      return { submit: s.submit, submitProbe: s.probe, evaluate: e.evaluate, evaluateProbe: e.probe };
    };
    const loadStart = process.hrtime.bigint();
    const loadedAtStart = loaded;
    for (const target of POINTS) {
      const start = await ledger.height();
      const t0 = process.hrtime.bigint();
      let shown = Date.now();
      let shownAt = loaded;
      const from = loaded;
      let done = 0;
      const r = await drive(Math.max(0, target - loaded), LOAD_CONCURRENCY, async (j) => {
        const [who, request] = loadOp(from + j);
        try {
          await ledger.submit(who, request);
        } finally {
          done++;
        }
        const now = Date.now();
        if (now - shown > PROGRESS_MS) {
          // The rate over the last interval, the ETA of this point and of the last one at that rate.
          const at = from + done;
          const rate = ((at - shownAt) * 1000) / (now - shown);
          const overall = (at - loadedAtStart) / seconds(loadStart);
          shown = now;
          shownAt = at;
          say(
            `  loaded ${at} of ${target} (${seconds(t0).toFixed(0)} s; ${rate.toFixed(0)} tx/s now, ${overall.toFixed(0)} tx/s overall; ` +
              `ETA ${((target - at) / rate).toFixed(0)} s to ${target}, ${((last - at) / overall / 60).toFixed(1)} min to ${last})`,
          );
        }
      });
      // A credit event that loses its MVCC retries is not re-sent: counted here, the ledger's own refusal.
      if (r.firstError) say(`load: ${r.failures} of ${target - from} refused, first: ${String(r.firstError).slice(0, 300)}`);
      loaded = target;
      const loadSeconds = seconds(t0);
      const loadTxPerSecond = (target - from) / loadSeconds;
      say(
        `grown to ${target} transactions (+${target - from} in ${loadSeconds.toFixed(1)} s, ${loadTxPerSecond.toFixed(0)} tx/s, ${(await ledger.height()) - start} blocks)`,
      );

      // Right after the burst, while LevelDB compacts what it wrote; then once its compactions have stopped.
      const fresh = await rates(target, 'fresh');
      const settleSeconds = await settle(ledger, SETTLE_SECONDS);
      say(`LevelDB compactions stopped after ${settleSeconds.toFixed(0)} s (levels ${levelFigures(ledger).files})`);
      const settled = await rates(target, 'settled');
      const checker = (cast.regulators[H] as Actor).identity;
      const c = await drive(CHECKS, 4, (i) =>
        ledger.evaluate(checker, { name: tx.credit.checkSubject.qualifiedName, args: [JSON.stringify({ subjectId: cast.checked[i % cast.checked.length] })] }),
      );
      const l = await drive(LISTS, 4, () => ledger.evaluate(checker, { name: tx.credit.listBlacklist.qualifiedName, args: [JSON.stringify({ limit: 50 })] }));
      for (const [what, x] of [
        ['check', c],
        ['list', l],
      ] as const)
        if (x.firstError) say(`${what} at ${target}: ${x.failures} failed, first: ${String(x.firstError).slice(0, 300)}`);
      // Memory while serving, before the audit reads every block (glibc keeps what it frees).
      const serving = memoryNow();
      const cacheEntries = ledger.store.cacheFootprint().entries;
      const level = levelFigures(ledger);
      let auditSeconds: number | undefined;
      if (AUDIT) {
        const a0 = process.hrtime.bigint();
        const v = await ledger.verifyChain();
        auditSeconds = seconds(a0);
        if (!v.ok) say(`AUDIT FAILED at ${target}: ${v.problem}`);
      }
      const height = await ledger.height();
      await ledger.close();
      const o0 = process.hrtime.bigint();
      ledger = await open();
      const startSeconds = seconds(o0);
      // Resident memory once the reopened ledger has answered a little work.
      await drive(2000, 64, (i) => ledger.evaluate(bench, { name: BENCH_TRANSACTIONS.get, args: [`key-${i}`] }));
      const reopened = memoryNow();
      const bytes = Number(du(ledgerDir));
      points.push({
        transactions: target,
        blocks: height,
        loadTxPerSecond,
        fresh,
        settleSeconds,
        settled,
        check: figures('check', c.latencies, c.failures, c.seconds),
        list: figures('list', l.latencies, l.failures, l.seconds),
        serving,
        cacheEntries,
        auditSeconds,
        startSeconds,
        reopened,
        bytesPerTx: bytes / (target + measurementSubmits),
        levelFiles: level.files,
        compactionWriteMiB: level.writeMiB,
        probe: settled.submitProbe,
      });
      printPoints(points);
    }
    await ledger.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function printPoints(points: readonly Point[]): void {
  const first = points[0] as Point;
  const rateRows = (label: string, of: (p: Point) => Rates): Array<[string, (p: Point) => string]> => {
    const sNorm = (p: Point) => normalised(of(p).submit.perSecond, of(p).submitProbe);
    const eNorm = (p: Point) => normalised(of(p).evaluate.perSecond, of(p).evaluateProbe);
    return [
      [`${label}: submit probe sign µs / load`, (p) => `${of(p).submitProbe.signUs.toFixed(1)} / ${of(p).submitProbe.loadavg[0].toFixed(2)}`],
      [`${label}: submit ops/s`, (p) => of(p).submit.perSecond.toFixed(0)],
      [`${label}: submit normalised`, (p) => sNorm(p).toFixed(3)],
      [`${label}: submit of crypto floor`, (p) => floorFigures(of(p).submit.perSecond, of(p).submit.cost, of(p).submitProbe).share],
      [`${label}: submit p99 ms`, (p) => of(p).submit.p99ms.toFixed(1)],
      [`${label}: submit norm. vs first`, (p) => ratio(sNorm(p), sNorm(first))],
      [`${label}: evaluate probe sign µs / load`, (p) => `${of(p).evaluateProbe.signUs.toFixed(1)} / ${of(p).evaluateProbe.loadavg[0].toFixed(2)}`],
      [`${label}: evaluate ops/s`, (p) => of(p).evaluate.perSecond.toFixed(0)],
      [`${label}: evaluate normalised`, (p) => eNorm(p).toFixed(3)],
      [`${label}: evaluate p99 ms`, (p) => of(p).evaluate.p99ms.toFixed(2)],
      [`${label}: evaluate norm. vs first`, (p) => ratio(eNorm(p), eNorm(first))],
    ];
  };
  const mem = (m: Memory) => `${m.rssMiB.toFixed(0)} / ${m.heapMiB.toFixed(0)} / ${m.heapTotalMiB.toFixed(0)} / ${m.arrayBuffersMiB.toFixed(0)}`;
  const rows: Array<[string, (p: Point) => string]> = [
    ['blocks', (p) => String(p.blocks)],
    ['load tx/s (this stretch)', (p) => p.loadTxPerSecond.toFixed(0)],
    ...rateRows('fresh', (p) => p.fresh),
    ['compactions stopped after s', (p) => p.settleSeconds.toFixed(0)],
    ...rateRows('settled', (p) => p.settled),
    ['blacklist check p50 / p99 ms', (p) => `${p.check.p50ms.toFixed(2)} / ${p.check.p99ms.toFixed(2)}`],
    ['blacklist list p50 / p99 ms', (p) => `${p.list.p50ms.toFixed(2)} / ${p.list.p99ms.toFixed(2)}`],
    ['RSS / heap used / total / Buf MiB', (p) => mem(p.serving)],
    ['state cache entries', (p) => String(p.cacheEntries)],
    ['chain audit s (signatures)', (p) => (p.auditSeconds === undefined ? '-' : p.auditSeconds.toFixed(1))],
    ['audit tx/s normalised', (p) => (p.auditSeconds === undefined ? '-' : normalised(p.transactions / p.auditSeconds, p.probe).toFixed(3))],
    ['start-up s', (p) => p.startSeconds.toFixed(2)],
    ['reopened: RSS/heap/total/Buf MiB', (p) => mem(p.reopened)],
    ['disk bytes / tx', (p) => p.bytesPerTx.toFixed(0)],
    ['LevelDB files per level', (p) => p.levelFiles],
    ['LevelDB compaction writes MiB', (p) => p.compactionWriteMiB.toFixed(0)],
  ];
  const w = 38;
  say(`\n${'at transactions'.padEnd(w)}${points.map((p) => String(p.transactions).padStart(22)).join('')}`);
  for (const [label, f] of rows) say(`${label.padEnd(w)}${points.map((p) => f(p).padStart(22)).join('')}`);
  say('');
}

const ratio = (a: number, b: number) => `${((a / b) * 100).toFixed(0)}%`;

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
