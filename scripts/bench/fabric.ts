/**
 * Fabric benchmark on the running three-county network (npm run network:up + network:deploy, or
 * inside test:fabric): committed submits per second and latency, and evaluates per second, measured
 * in one run directly with fabric-gateway (FabricLedger, node:crypto signer) and through the REST
 * API (the real gateway app on 127.0.0.1 in a child process, concurrent keep-alive HTTP clients).
 *
 * The transaction is a real one of the deployed chaincode, Membership:GrantRole of a fresh member
 * (POST /api/v1/members/:id/roles): it reads one key and writes four (grant, index, history entry),
 * never conflicting with another. The query is Membership:GetMember (GET /api/v1/members/:id), which
 * reads the member's seven possible role keys.
 *
 *   1. closed loop: BENCH_CONCURRENCY submits in flight until BENCH_SUBMITS are committed -> tx/s
 *   2. open loop at 70% of the direct closed-loop rate for BENCH_OPEN_SECONDS -> p50 / p95 latency
 *   3. evaluates: BENCH_EVALUATES queries, BENCH_EVAL_CONCURRENCY in flight -> queries/s
 *
 *   npm run bench:fabric         (env: FABRIC_NETWORK, FABRIC_MSP_ID, BENCH_* below)
 */
import '../../gateway-api/src/quiet-logs';
import { fork, ChildProcess } from 'node:child_process';
import { Pool } from 'undici';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openFabric } from '../../gateway-api/src/ledger/fabric/open-fabric';
import { drive, figures, printTable, RunFigures } from './stats';

const SUBMITS = Number(process.env.BENCH_SUBMITS ?? 3000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 150);
const OPEN_SECONDS = Number(process.env.BENCH_OPEN_SECONDS ?? 15);
const EVALUATES = Number(process.env.BENCH_EVALUATES ?? 6000);
const EVAL_CONCURRENCY = Number(process.env.BENCH_EVAL_CONCURRENCY ?? 64);
const MSP = process.env.FABRIC_MSP_ID ?? 'LiangdangMSP';
const RUN = Date.now().toString(36);

type Op = (i: number) => Promise<unknown>;

/** Starts one operation every 1/rate seconds for `seconds`, whatever the earlier ones are doing. */
async function openLoop(rate: number, seconds: number, op: Op): Promise<{ latencies: number[]; failures: number; seconds: number; firstError?: unknown }> {
  const total = Math.round(rate * seconds);
  const latencies: number[] = [];
  let failures = 0;
  let firstError: unknown;
  const t0 = process.hrtime.bigint();
  const running: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = (i / rate) * 1000;
    const now = Number(process.hrtime.bigint() - t0) / 1e6;
    if (due > now) await new Promise((r) => setTimeout(r, due - now));
    const s = process.hrtime.bigint();
    running.push(
      op(i).then(
        () => void latencies.push(Number(process.hrtime.bigint() - s) / 1e6),
        (err) => {
          failures++;
          firstError ??= err;
        },
      ),
    );
  }
  await Promise.all(running);
  return { latencies, failures, seconds: Number(process.hrtime.bigint() - t0) / 1e9, firstError };
}

interface Target {
  readonly name: string;
  submit: Op;
  evaluate: Op;
}

async function measure(t: Target, openRate: number | undefined): Promise<{ rows: RunFigures[]; closedRate: number }> {
  const report = (what: string, r: { firstError?: unknown }) => r.firstError && process.stderr.write(`${t.name} ${what}: first error: ${String(r.firstError)}\n`);
  await drive(200, Math.min(CONCURRENCY, 50), (i) => t.submit(1_000_000 + i)); // warm-up
  const closed = await drive(SUBMITS, CONCURRENCY, t.submit);
  report('closed-loop submit', closed);
  const closedRow = figures(`${t.name} submit, ${CONCURRENCY} in flight`, closed.latencies, closed.failures, closed.seconds);
  const rate = openRate ?? Math.floor(closedRow.perSecond * 0.7);
  const open = await openLoop(rate, OPEN_SECONDS, (i) => t.submit(2_000_000 + i));
  report('open-loop submit', open);
  const openRow = figures(`${t.name} submit, open loop ${rate}/s`, open.latencies, open.failures, open.seconds);
  const ev = await drive(EVALUATES, EVAL_CONCURRENCY, t.evaluate);
  report('evaluate', ev);
  return { rows: [closedRow, openRow, figures(`${t.name} evaluate, ${EVAL_CONCURRENCY} in flight`, ev.latencies, ev.failures, ev.seconds)], closedRate: closedRow.perSecond };
}

function startServer(dir: string): Promise<{ child: ChildProcess; port: number; apiKey: string }> {
  return new Promise((resolve, reject) => {
    const child = fork(path.join(__dirname, 'fabric-rest-server.js'), [dir, MSP], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.once('message', (m: { port: number; apiKey: string }) => resolve({ child, ...m }));
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
  });
}

/** One HTTP call on a keep-alive pool: undici takes far less client CPU than node:http, and the load generator shares the two cores with the network. */
async function httpCall(pool: Pool, apiKey: string, method: 'GET' | 'POST', url: string, body?: string): Promise<void> {
  const res = await pool.request({
    method,
    path: url,
    headers: { authorization: `Bearer ${apiKey}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body } : {}),
  });
  const text = await res.body.text();
  if (res.statusCode >= 300) throw new Error(`HTTP ${res.statusCode} ${text.slice(0, 300)}`);
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cl-bench-fabric-'));
  const rows: RunFigures[] = [];
  try {
    const { ledger, wallet } = await openFabric(path.join(dir, 'direct'), { ...process.env, FABRIC_MSP_ID: MSP });
    await wallet.issue(MSP, 'admin', 'admin');
    const admin = wallet.ledgerIdentity(MSP, 'admin');
    process.stdout.write(
      `Fabric benchmark (${MSP}'s peer): ${SUBMITS} Membership:GrantRole submits with ${CONCURRENCY} in flight, then an open loop at 70% of the direct rate for ${OPEN_SECONDS} s, ` +
        `${EVALUATES} Membership:GetMember evaluates; ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown'}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}\n`,
    );
    const h0 = await ledger.height();
    const member = (prefix: string, i: number) => `${prefix}-${RUN}-${i}`;
    let direct: Awaited<ReturnType<typeof measure>>;
    try {
      direct = await measure(
        {
          name: 'direct',
          submit: (i) => ledger.submit(admin, { name: 'Membership:GrantRole', args: [JSON.stringify({ member: member('d', i), role: 'auditor' })] }),
          evaluate: (i) => ledger.evaluate(admin, { name: 'Membership:GetMember', args: [JSON.stringify({ mspId: MSP, member: member('d', i % SUBMITS) })] }),
        },
        undefined,
      );
      rows.push(...direct.rows);
      const h1 = await ledger.height();
      process.stdout.write(`direct: ${h1 - h0} blocks\n`);
    } finally {
      await ledger.close();
    }

    const { child, port, apiKey } = await startServer(path.join(dir, 'rest'));
    const pool = new Pool(`http://127.0.0.1:${port}`, { connections: Math.max(CONCURRENCY, EVAL_CONCURRENCY), pipelining: 1 });
    try {
      const rest = await measure(
        {
          name: 'REST',
          submit: (i) => httpCall(pool, apiKey, 'POST', `/api/v1/members/${MSP}:${member('r', i)}/roles`, JSON.stringify({ role: 'auditor' })),
          evaluate: (i) => httpCall(pool, apiKey, 'GET', `/api/v1/members/${MSP}:${member('r', i % SUBMITS)}`),
        },
        Math.floor(direct.closedRate * 0.7),
      );
      rows.push(...rest.rows);
    } finally {
      await pool.close();
      child.kill('SIGTERM');
    }
    printTable(rows);
    const find = (p: string) => rows.find((r) => r.label.startsWith(p))!;
    const ratio = (a: RunFigures, b: RunFigures) => `${((a.perSecond / b.perSecond) * 100).toFixed(1)}%`;
    process.stdout.write(
      `REST / direct: submit ${ratio(find('REST submit,'), find('direct submit,'))}, evaluate ${ratio(find('REST evaluate'), find('direct evaluate'))}\n`,
    );
    const failures = rows.reduce((n, r) => n + r.failures, 0);
    if (failures > 0) process.stdout.write(`FAILURES: ${failures}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
