/**
 * Growth benchmark: does the embedded ledger stay as fast as it grows? An embedded ledger is grown
 * to each of BENCH_SCALE_POINTS transactions (default 10,000, 100,000, 1,000,000) by a bulk loader
 * through the real endorse-and-commit path, with a mix of real transactions: 65% bench puts of
 * ~100-byte values, 30% evidence anchors (distinct digests, 16 merchants), 5% credit events
 * (fulfilment records on 72 subjects, which contend). At each point it measures:
 *   - submits (Bench:Put, 256 in flight) and evaluates (Bench:Get of loaded keys, 64 in flight):
 *     rate, p99, normalised, share of the crypto floor;
 *   - a blacklist check (Credit:CheckSubject) and the blacklist's first page (Credit:ListBlacklist);
 *   - the whole-chain audit with every signature (BENCH_SCALE_AUDIT=0 leaves it out);
 *   - start-up: the ledger closed and opened again (the store's head check), and the resident
 *     memory after it; disk bytes per transaction.
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
const CHECKS = Number(process.env.BENCH_SCALE_CHECKS ?? 1000);
const LISTS = Number(process.env.BENCH_SCALE_LISTS ?? 200);
const AUDIT = process.env.BENCH_SCALE_AUDIT !== '0';

const say = (line: string) => process.stdout.write(`${line}\n`);

interface Point {
  readonly transactions: number;
  readonly blocks: number;
  readonly submit: RunFigures;
  readonly evaluate: RunFigures;
  readonly check: RunFigures;
  readonly list: RunFigures;
  readonly auditSeconds: number | undefined;
  readonly startSeconds: number;
  readonly rssMiB: number;
  readonly heapMiB: number;
  readonly bytesPerTx: number;
  readonly probe: Probe;
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
    for (const target of POINTS) {
      const start = await ledger.height();
      const t0 = process.hrtime.bigint();
      let shown = Date.now();
      const from = loaded;
      const r = await drive(Math.max(0, target - loaded), LOAD_CONCURRENCY, async (j) => {
        const [who, request] = loadOp(from + j);
        await ledger.submit(who, request);
        if (Date.now() - shown > 30_000) {
          shown = Date.now();
          say(`  loaded ${from + j} transactions (${seconds(t0).toFixed(0)} s)`);
        }
      });
      // A credit event that loses its MVCC retries is not re-sent: counted here, the ledger's own refusal.
      if (r.firstError) say(`load: ${r.failures} of ${target - from} refused, first: ${String(r.firstError).slice(0, 300)}`);
      loaded = target;
      const loadSeconds = seconds(t0);
      say(
        `grown to ${target} transactions (+${target - from} in ${loadSeconds.toFixed(1)} s, ${((target - from) / loadSeconds).toFixed(0)} tx/s, ${(await ledger.height()) - start} blocks)`,
      );
      const before = machineProbe(`at ${target}`);

      const blocks0 = await ledger.height();
      const s = await drive(SUBMITS, 256, (i) => ledger.submit(bench, { name: BENCH_TRANSACTIONS.put, args: [`s${target}-${i}`, `value-${i}`] }));
      const perBlock = SUBMITS / Math.max(1, (await ledger.height()) - blocks0);
      // Keys spread over everything loaded so far, so reads reach old and new parts of the store.
      const stride = Math.max(1, Math.floor(benchKeys / EVALUATES));
      const e = await drive(EVALUATES, 64, (i) =>
        ledger.evaluate(bench, { name: BENCH_TRANSACTIONS.get, args: [`key-${(i * stride + (i % 7)) % benchKeys}`] }),
      );
      const checker = (cast.regulators[H] as Actor).identity;
      const c = await drive(CHECKS, 4, (i) =>
        ledger.evaluate(checker, { name: tx.credit.checkSubject.qualifiedName, args: [JSON.stringify({ subjectId: cast.checked[i % cast.checked.length] })] }),
      );
      const l = await drive(LISTS, 4, () => ledger.evaluate(checker, { name: tx.credit.listBlacklist.qualifiedName, args: [JSON.stringify({ limit: 50 })] }));
      for (const [what, x] of [
        ['submit', s],
        ['evaluate', e],
        ['check', c],
        ['list', l],
      ] as const)
        if (x.firstError) say(`${what} at ${target}: ${x.failures} failed, first: ${String(x.firstError).slice(0, 300)}`);
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
      // After a full collection where the process allows it (node --expose-gc): what stays, not what waits for the collector.
      (globalThis as { gc?: () => void }).gc?.();
      const memory = process.memoryUsage();
      const rssMiB = memory.rss / 2 ** 20;
      const heapMiB = memory.heapUsed / 2 ** 20;
      const bytes = Number(du(ledgerDir));
      const probe = meanProbe(before, machineProbe(`after ${target}`));
      points.push({
        transactions: target,
        blocks: height,
        submit: figures('submit', s.latencies, s.failures, s.seconds, COSTS.embeddedSubmit(perBlock)),
        evaluate: figures('evaluate', e.latencies, e.failures, e.seconds, COSTS.evaluate),
        check: figures('check', c.latencies, c.failures, c.seconds),
        list: figures('list', l.latencies, l.failures, l.seconds),
        auditSeconds,
        startSeconds,
        rssMiB,
        heapMiB,
        bytesPerTx: bytes / (target + SUBMITS * (points.length + 1)),
        probe,
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
  const rows: Array<[string, (p: Point) => string]> = [
    ['blocks', (p) => String(p.blocks)],
    ['probe sign / verify µs', (p) => `${p.probe.signUs.toFixed(1)} / ${p.probe.verifyUs.toFixed(1)}`],
    ['load average (1 min)', (p) => p.probe.loadavg[0].toFixed(2)],
    ['submit ops/s', (p) => p.submit.perSecond.toFixed(0)],
    ['submit normalised', (p) => normalised(p.submit.perSecond, p.probe).toFixed(3)],
    ['submit of crypto floor', (p) => floorFigures(p.submit.perSecond, p.submit.cost, p.probe).share],
    ['submit p99 ms', (p) => p.submit.p99ms.toFixed(1)],
    ['submit normalised vs first', (p) => ratio(normalised(p.submit.perSecond, p.probe), normalised(first.submit.perSecond, first.probe))],
    ['evaluate ops/s', (p) => p.evaluate.perSecond.toFixed(0)],
    ['evaluate normalised', (p) => normalised(p.evaluate.perSecond, p.probe).toFixed(3)],
    ['evaluate p99 ms', (p) => p.evaluate.p99ms.toFixed(2)],
    ['evaluate normalised vs first', (p) => ratio(normalised(p.evaluate.perSecond, p.probe), normalised(first.evaluate.perSecond, first.probe))],
    ['blacklist check p50 / p99 ms', (p) => `${p.check.p50ms.toFixed(2)} / ${p.check.p99ms.toFixed(2)}`],
    ['blacklist list p50 / p99 ms', (p) => `${p.list.p50ms.toFixed(2)} / ${p.list.p99ms.toFixed(2)}`],
    ['chain audit s (signatures)', (p) => (p.auditSeconds === undefined ? '-' : p.auditSeconds.toFixed(1))],
    ['audit tx/s normalised', (p) => (p.auditSeconds === undefined ? '-' : normalised(p.transactions / p.auditSeconds, p.probe).toFixed(3))],
    ['start-up s', (p) => p.startSeconds.toFixed(2)],
    ['RSS / JS heap MiB', (p) => `${p.rssMiB.toFixed(0)} / ${p.heapMiB.toFixed(0)}`],
    ['disk bytes / tx', (p) => p.bytesPerTx.toFixed(0)],
  ];
  const w = 30;
  say(`\n${'at transactions'.padEnd(w)}${points.map((p) => String(p.transactions).padStart(16)).join('')}`);
  for (const [label, f] of rows) say(`${label.padEnd(w)}${points.map((p) => f(p).padStart(16)).join('')}`);
  say('');
}

const ratio = (a: number, b: number) => `${((a / b) * 100).toFixed(0)}%`;

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
