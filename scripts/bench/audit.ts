/**
 * Chain audit benchmark: grows an embedded ledger to BENCH_AUDIT_TX transactions (default
 * 1,000,000; bench puts through the real endorse-and-commit path: each transaction signed by its
 * creator and endorsed by two counties, each block signed by the ordering node), then times the
 * whole-chain audit with every signature checked (GET /audit/ledger, county-ledger-verify chain)
 * and the structural one (hash links and data hashes only, the store's check at start), next to
 * the machine probe and to how many P-256 verifications per second this machine does, on one
 * thread and on libuv's pool as the audit runs them, so the audit's distance from the
 * signature-checking limit is visible.
 *
 *   npm run bench:audit
 *   BENCH_AUDIT_TX=100000 npm run bench:audit
 */
import '../../gateway-api/src/quiet-logs';
import { generateKeyPairSync, sign, verify } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { auditChain } from '../../gateway-api/src/ledger/embedded/chain-audit';
import { du, growLedger, seconds } from './grow-ledger';
import { COSTS, floorRate, meanProbe, normalised } from './probe';
import { machineProbe } from './stats';

const TRANSACTIONS = Number(process.env.BENCH_AUDIT_TX ?? 1_000_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 512);

const say = (line: string) => process.stdout.write(`${line}\n`);

/** P-256 (SHA-256) verifications per second of a 400-byte message: on this thread, and on libuv's pool with many in flight. */
async function verificationsPerSecond(): Promise<{ oneThread: number; pool: number }> {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const message = Buffer.alloc(400, 7);
  const signature = sign('sha256', message, privateKey);
  for (let i = 0; i < 500; i++) verify('sha256', message, publicKey, signature);
  let n = 0;
  const t0 = process.hrtime.bigint();
  while (seconds(t0) < 2) {
    for (let i = 0; i < 100; i++) verify('sha256', message, publicKey, signature);
    n += 100;
  }
  const oneThread = n / seconds(t0);
  const total = 40_000;
  const p0 = process.hrtime.bigint();
  let started = 0;
  await new Promise<void>((resolve) => {
    let done = 0;
    const next = () => {
      if (started >= total) return;
      started++;
      verify('sha256', message, publicKey, signature, () => {
        if (++done === total) resolve();
        else next();
      });
    };
    for (let i = 0; i < 256; i++) next();
  });
  return { oneThread, pool: total / seconds(p0) };
}

async function main(): Promise<void> {
  say(`chain audit benchmark: ${TRANSACTIONS} transactions; ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown'}), Node ${process.version}`);
  const before = machineProbe('before');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cl-bench-audit-'));
  try {
    const ledgerDir = path.join(dir, 'ledger');
    const { ledger, height, loadSeconds } = await growLedger(dir, ledgerDir, TRANSACTIONS, CONCURRENCY, say, 30_000);
    say(
      `loaded ${TRANSACTIONS} transactions in ${height} blocks in ${loadSeconds.toFixed(1)} s (${Math.round(TRANSACTIONS / loadSeconds)} tx/s); ledger folder ${du(ledgerDir)} bytes`,
    );

    const rates = await verificationsPerSecond();
    say(
      `P-256 verifications per second: ${Math.round(rates.oneThread)} on one thread, ${Math.round(rates.pool)} on libuv's pool (${process.env.UV_THREADPOOL_SIZE ?? 4} threads)`,
    );

    const a0 = process.hrtime.bigint();
    let shown = Date.now();
    const full = await ledger.verifyChain({
      onProgress: (blocks, total) => {
        if (Date.now() - shown < 15_000) return;
        shown = Date.now();
        say(`  audited ${blocks} of ${total} blocks (${seconds(a0).toFixed(0)} s)`);
      },
    });
    const fullSeconds = seconds(a0);
    if (!full.ok) throw new Error(`the audit failed: ${full.problem}`);
    const transactions = full.transactionsChecked ?? 0;
    const verifications = 3 * transactions + height;
    const s0 = process.hrtime.bigint();
    const structural = await auditChain(ledger.store);
    const structuralSeconds = seconds(s0);
    if (!structural.ok) throw new Error(`the structural audit failed: ${structural.problem}`);
    await ledger.close();

    const perSecond = transactions / fullSeconds;
    say(
      [
        `audit with signatures: ${transactions} transactions, ${height} blocks in ${fullSeconds.toFixed(1)} s = ${Math.round(perSecond)} tx/s (${verifications} signatures, ${Math.round(verifications / fullSeconds)} verifications/s)`,
        `audit of structure only (hash links, data hashes): ${structuralSeconds.toFixed(1)} s = ${Math.round(transactions / structuralSeconds)} tx/s`,
        `the audit reaches ${((verifications / fullSeconds / rates.pool) * 100).toFixed(0)}% of the pool's verification rate (${((verifications / fullSeconds / rates.oneThread) * 100).toFixed(0)}% of one thread's); at the pool's rate alone, 3 verifications per transaction would allow ${Math.round(rates.pool / 3)} tx/s`,
      ].join('\n'),
    );
    const probe = meanProbe(before, machineProbe('after'));
    const floor = floorRate(COSTS.audit(transactions / height), probe);
    say(
      `normalised: load ${normalised(TRANSACTIONS / loadSeconds, probe).toFixed(3)}, audit ${normalised(perSecond, probe).toFixed(3)}; ` +
        `the audit's crypto floor (${COSTS.audit(transactions / height).why}, two cores) ${Math.round(floor)} tx/s: reached ${((perSecond / floor) * 100).toFixed(1)}%`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
