/**
 * Embedded-ledger benchmark: single-record submits and evaluates, measured in one
 * run directly on the EmbeddedLedger and through the REST API (server in a child
 * process laid out as npm start runs it — ledger on the main thread, HTTP in a worker thread —, many concurrent keep-alive connections from this one). Durability is on:
 * every acknowledged submit is in a block synced to disk.
 *
 *   npm run bench            (defaults)
 *   BENCH_SUBMITS=20000 BENCH_EVALUATES=50000 npm run bench
 */
import '../../gateway-api/src/quiet-logs';
import { fork, ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { contracts } from '../../chaincode/src/index';
import { DEFAULT_COUNTIES } from '../../gateway-api/src/identity/counties';
import { Wallet } from '../../gateway-api/src/identity/wallet';
import { EmbeddedLedger } from '../../gateway-api/src/ledger/embedded/embedded-ledger';
import { GATEWAY_NODE_FLAGS } from '../../gateway-api/src/node-flags';
import { BENCH_TRANSACTIONS, BenchContract } from './bench-contract';
import { loadClient } from './http-load';
import { cpuSecondsOf, threadSecondsOf } from './process-cpu';
import { COSTS, floorRate, meanProbe, Probe } from './probe';
import { drive, figures, machineProbe, printTable, RunFigures } from './stats';

const SUBMITS = Number(process.env.BENCH_SUBMITS ?? 20000);
const EVALUATES = Number(process.env.BENCH_EVALUATES ?? 40000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 256);
const EVAL_CONCURRENCY = Number(process.env.BENCH_EVAL_CONCURRENCY ?? 64);
/**
 * Calls of each kind made before its measured phase, on both sides alike, so each phase measures
 * code the JIT has compiled: REST evaluates run code the submits did not, and a gateway's first
 * 30,000 of them went at 17k/s where the next ones went at 20 – 21k/s.
 */
const WARM_UP = Number(process.env.BENCH_WARM_UP ?? 5000);
/** Transactions per block the REST floor assumes (the server's ledger is in another process); the block share is small either way. */
const REST_TX_PER_BLOCK = 40;

async function direct(dir: string, wallet: Wallet): Promise<RunFigures[]> {
  const ledger = await EmbeddedLedger.open({
    dataDir: path.join(dir, 'direct-ledger'),
    contracts: [...contracts, BenchContract],
    trustedCas: wallet.trustedCas(),
    endorsers: wallet.endorsers(),
    ordering: await wallet.ordering(),
  });
  const id = wallet.ledgerIdentity('LiangdangMSP', 'bench');
  // Warm-up: JIT and LevelDB caches.
  await drive(WARM_UP, CONCURRENCY, (i) => ledger.submit(id, { name: BENCH_TRANSACTIONS.put, args: [`w${i}`, 'x'] }));
  const s = await drive(SUBMITS, CONCURRENCY, (i) => ledger.submit(id, { name: BENCH_TRANSACTIONS.put, args: [`k${i}`, `value-${i}`] }));
  if (s.firstError) process.stderr.write(`direct submit error: ${String(s.firstError)}\n`);
  await drive(WARM_UP, EVAL_CONCURRENCY, (i) => ledger.evaluate(id, { name: BENCH_TRANSACTIONS.get, args: [`w${i}`] }));
  const e = await drive(EVALUATES, EVAL_CONCURRENCY, (i) => ledger.evaluate(id, { name: BENCH_TRANSACTIONS.get, args: [`k${i % SUBMITS}`] }));
  if (e.firstError) process.stderr.write(`direct evaluate error: ${String(e.firstError)}\n`);
  const blocks = await ledger.height();
  await ledger.close();
  const perBlock = (SUBMITS + WARM_UP) / blocks;
  process.stdout.write(`direct: ${SUBMITS + WARM_UP} submits in ${blocks} blocks (${perBlock.toFixed(1)} tx/block)\n`);
  return [
    figures('direct submit', s.latencies, s.failures, s.seconds, COSTS.embeddedSubmit(perBlock)),
    figures('direct evaluate', e.latencies, e.failures, e.seconds, COSTS.evaluate),
  ];
}

function startServer(dir: string, walletDir: string): Promise<{ child: ChildProcess; port: number; apiKey: string }> {
  return new Promise((resolve, reject) => {
    const child = fork(path.join(__dirname, 'rest-server.js'), [dir, walletDir], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      // BENCH_SERVER_NODE_ARGS='--cpu-prof' profiles the gateway process.
      execArgv: [...GATEWAY_NODE_FLAGS, ...(process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean)],
    });
    child.once('message', (m: { port: number; apiKey: string }) => resolve({ child, ...m }));
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
  });
}

/** The busiest threads between two readings, as "name cores" over `wall` seconds. */
function busiestThreads(before: Map<string, number>, after: Map<string, number>, wall: number): string {
  return [...after]
    .map(([k, v]) => [k.split('#')[0] as string, (v - (before.get(k) ?? 0)) / wall] as const)
    .filter(([, cores]) => cores >= 0.02)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 6)
    .map(([name, cores]) => `${name} ${cores.toFixed(2)}`)
    .join(', ');
}

/** Runs a REST phase and reports how the two cores were shared between server and clients. */
async function measured<T>(label: string, serverPid: number, run: () => Promise<T>): Promise<T> {
  const threads0 = threadSecondsOf(serverPid);
  const server0 = cpuSecondsOf(serverPid);
  const client0 = process.cpuUsage();
  const t0 = Date.now();
  const result = await run();
  const wall = (Date.now() - t0) / 1000;
  const server1 = cpuSecondsOf(serverPid);
  const client = process.cpuUsage(client0);
  const clientCpu = (client.user + client.system) / 1e6;
  const serverCpu = server0 !== undefined && server1 !== undefined ? server1 - server0 : NaN;
  const threads = busiestThreads(threads0, threadSecondsOf(serverPid), wall);
  process.stdout.write(
    `${label}: gateway process used ${(serverCpu / wall).toFixed(2)} cores${threads ? ` (threads: ${threads})` : ''}, load clients ${(clientCpu / wall).toFixed(2)} cores\n`,
  );
  return result;
}

async function rest(dir: string, walletDir: string): Promise<RunFigures[]> {
  const { child, port, apiKey } = await startServer(dir, walletDir);
  // As many requests in flight as the direct phases have calls in flight (one per connection), so both see the same offered load.
  const client = loadClient(`http://127.0.0.1:${port}`, Math.max(CONCURRENCY, EVAL_CONCURRENCY));
  process.stdout.write(
    `REST load client: ${client.name}, keep-alive connections with one request in flight on each: ${CONCURRENCY} for submits, ${EVAL_CONCURRENCY} for evaluates (as direct)\n`,
  );
  try {
    await drive(WARM_UP, CONCURRENCY, (i) => client.call(apiKey, 'POST', '/bench/records', JSON.stringify({ key: `w${i}`, value: 'x' })));
    const pid = child.pid as number;
    const s = await measured('REST submit', pid, () =>
      drive(SUBMITS, CONCURRENCY, (i) => client.call(apiKey, 'POST', '/bench/records', JSON.stringify({ key: `k${i}`, value: `value-${i}` }))),
    );
    if (s.firstError) process.stderr.write(`rest submit error: ${String(s.firstError)}\n`);
    await drive(WARM_UP, EVAL_CONCURRENCY, (i) => client.call(apiKey, 'GET', `/bench/records/w${i}`));
    const e = await measured('REST evaluate', pid, () =>
      drive(EVALUATES, EVAL_CONCURRENCY, (i) => client.call(apiKey, 'GET', `/bench/records/k${i % SUBMITS}`)),
    );
    if (e.firstError) process.stderr.write(`rest evaluate error: ${String(e.firstError)}\n`);
    // The REST ledger's blocks are about as full as the direct one's; the floor takes the same block share.
    return [
      figures('REST submit', s.latencies, s.failures, s.seconds, COSTS.embeddedSubmit(REST_TX_PER_BLOCK)),
      figures('REST evaluate', e.latencies, e.failures, e.seconds, COSTS.evaluate),
    ];
  } finally {
    await client.close();
    child.kill('SIGTERM');
  }
}

function floorRateOf(rows: readonly RunFigures[], label: string, probe: Probe): number {
  const row = rows.find((r) => r.label === label);
  return row?.cost ? floorRate(row.cost, probe) : NaN;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cl-bench-'));
  try {
    const walletDir = path.join(dir, 'wallet');
    const wallet = await Wallet.open(walletDir, DEFAULT_COUNTIES);
    await wallet.issue('LiangdangMSP', 'bench', 'client');
    process.stdout.write(
      `embedded ledger benchmark: ${SUBMITS} submits, ${EVALUATES} evaluates; ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown'}), Node ${process.version}\n`,
    );
    const before = machineProbe('before');
    const rows = [...(await direct(dir, wallet)), ...(await rest(dir, walletDir))];
    const after = machineProbe('after');
    const probe = meanProbe(before, after);
    printTable(rows, probe);
    const find = (label: string) => rows.find((r) => r.label === label)?.perSecond ?? NaN;
    const pct = (a: number, b: number) => `${((a / b) * 100).toFixed(1)}%`;
    process.stdout.write(
      `REST / direct in this run: submit ${pct(find('REST submit'), find('direct submit'))} (target ≥ 70%), evaluate ${pct(find('REST evaluate'), find('direct evaluate'))} (target ≥ 60%); ` +
        `direct submit ${pct(find('direct submit'), floorRateOf(rows, 'direct submit', probe))} of its crypto floor (target ≥ 50%); floors and normalised figures use the mean probe (sign ${probe.signUs.toFixed(1)} µs)\n`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
