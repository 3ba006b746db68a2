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
 * Each phase runs in two halves in the order direct, REST, REST, direct: the network slows down
 * as its state, history and block files grow over a run, and this order puts that drift on both
 * sides equally instead of on whichever goes second. A side's figures are over its two halves.
 *
 *   npm run bench:fabric         (env: FABRIC_NETWORK, FABRIC_MSP_ID, BENCH_* below)
 */
import { tx } from '../../chaincode/src/catalogue';
import '../../gateway-api/src/quiet-logs';
import { fork, ChildProcess } from 'node:child_process';
import { Pool } from 'undici';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openFabric } from '../../gateway-api/src/ledger/fabric/open-fabric';
import { httpCall } from './http-load';
import { COSTS, meanProbe } from './probe';
import { drive, figures, machineProbe, printTable, RunFigures } from './stats';

const SUBMITS = Number(process.env.BENCH_SUBMITS ?? 6000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 150);
const OPEN_SECONDS = Number(process.env.BENCH_OPEN_SECONDS ?? 15);
const EVALUATES = Number(process.env.BENCH_EVALUATES ?? 12000);
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

type Run = Awaited<ReturnType<typeof drive>>;

function merged(a: Run, b: Run): Run {
  return {
    latencies: [...a.latencies, ...b.latencies],
    failures: a.failures + b.failures,
    seconds: a.seconds + b.seconds,
    firstError: a.firstError ?? b.firstError,
  };
}

/** Runs a phase in halves, direct – REST – REST – direct, and returns each side's two halves merged. */
async function interleaved(direct: Target, rest: Target, half: (t: Target, part: 0 | 1) => Promise<Run>): Promise<[Run, Run]> {
  const d0 = await half(direct, 0);
  const r0 = await half(rest, 0);
  const r1 = await half(rest, 1);
  const d1 = await half(direct, 1);
  return [merged(d0, d1), merged(r0, r1)];
}

const rowOf = (label: string, r: Run): RunFigures => figures(label, r.latencies, r.failures, r.seconds);

async function measure(direct: Target, rest: Target): Promise<RunFigures[]> {
  const report = (t: Target, what: string, r: Run) => r.firstError && process.stderr.write(`${t.name} ${what}: first error: ${String(r.firstError)}\n`);
  // Warm-up of both paths (JIT, connections), submits and evaluates.
  for (const t of [direct, rest]) {
    await drive(200, Math.min(CONCURRENCY, 50), (i) => t.submit(1_000_000 + i));
    await drive(500, EVAL_CONCURRENCY, (i) => t.evaluate(i));
  }
  const halfSubmits = Math.ceil(SUBMITS / 2);
  const [dClosed, rClosed] = await interleaved(direct, rest, (t, part) => drive(halfSubmits, CONCURRENCY, (i) => t.submit(part * halfSubmits + i)));
  const rate = Math.floor(rowOf('', dClosed).perSecond * 0.7);
  const [dOpen, rOpen] = await interleaved(direct, rest, (t, part) => openLoop(rate, OPEN_SECONDS / 2, (i) => t.submit(2_000_000 + part * 1_000_000 + i)));
  const halfEvaluates = Math.ceil(EVALUATES / 2);
  const [dEval, rEval] = await interleaved(direct, rest, (t) => drive(halfEvaluates, EVAL_CONCURRENCY, t.evaluate));
  for (const [t, what, r] of [
    [direct, 'closed-loop submit', dClosed],
    [rest, 'closed-loop submit', rClosed],
    [direct, 'open-loop submit', dOpen],
    [rest, 'open-loop submit', rOpen],
    [direct, 'evaluate', dEval],
    [rest, 'evaluate', rEval],
  ] as const)
    report(t, what, r);
  return [
    rowOf(`direct submit, ${CONCURRENCY} in flight`, dClosed),
    rowOf(`direct submit, open loop ${rate}/s`, dOpen),
    rowOf(`direct evaluate, ${EVAL_CONCURRENCY} in flight`, dEval),
    rowOf(`REST submit, ${CONCURRENCY} in flight`, rClosed),
    rowOf(`REST submit, open loop ${rate}/s`, rOpen),
    rowOf(`REST evaluate, ${EVAL_CONCURRENCY} in flight`, rEval),
  ];
}

function startServer(dir: string): Promise<{ child: ChildProcess; port: number; apiKey: string }> {
  return new Promise((resolve, reject) => {
    const child = fork(path.join(__dirname, 'fabric-rest-server.js'), [dir, MSP], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.once('message', (m: { port: number; apiKey: string }) => resolve({ child, ...m }));
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
  });
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
    const before = machineProbe('before');
    const h0 = await ledger.height();
    const member = (prefix: string, i: number) => `${prefix}-${RUN}-${i}`;
    const { child, port, apiKey } = await startServer(path.join(dir, 'rest'));
    const pool = new Pool(`http://127.0.0.1:${port}`, { connections: Math.max(CONCURRENCY, EVAL_CONCURRENCY), pipelining: 1 });
    try {
      const measured = await measure(
        {
          name: 'direct',
          submit: (i) =>
            ledger.submit(admin, { name: tx.membership.grantRole.qualifiedName, args: [JSON.stringify({ member: member('d', i), role: 'auditor' })] }),
          evaluate: (i) =>
            ledger.evaluate(admin, { name: tx.membership.getMember.qualifiedName, args: [JSON.stringify({ mspId: MSP, member: member('d', i % SUBMITS) })] }),
        },
        {
          name: 'REST',
          submit: (i) => httpCall(pool, apiKey, 'POST', `/api/v1/members/${MSP}:${member('r', i)}/roles`, JSON.stringify({ role: 'auditor' })),
          evaluate: (i) => httpCall(pool, apiKey, 'GET', `/api/v1/members/${MSP}:${member('r', i % SUBMITS)}`),
        },
      );
      const blocks = (await ledger.height()) - h0;
      const submitted = measured.filter((r) => r.label.includes('submit')).reduce((n, r) => n + r.count, 0) + 400;
      const perBlock = submitted / Math.max(1, blocks);
      process.stdout.write(`${blocks} blocks (${perBlock.toFixed(1)} tx/block)\n`);
      rows.push(...measured.map((r) => ({ ...r, cost: r.label.includes('submit') ? COSTS.fabricSubmit(perBlock) : COSTS.fabricEvaluate })));
    } finally {
      await pool.close();
      child.kill('SIGTERM');
      await ledger.close();
    }
    const after = machineProbe('after');
    printTable(rows, meanProbe(before, after));
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
