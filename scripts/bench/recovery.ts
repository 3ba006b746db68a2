/**
 * Recovery benchmark: grows an embedded ledger to BENCH_RECOVERY_TX transactions (default
 * 1,000,000; bench puts of ~100-byte values through the real endorse-and-commit path, many per
 * block), then times what an operator runs after a loss: a backup of it (npm run backup's
 * snapshot), a restore with the whole-chain audit (npm run restore), and a rebuild of the world
 * state and history from the blocks (--rebuild-state), with the machine probe. The seeds' target
 * is recovery of core functions within 30 minutes.
 *
 *   npm run bench:recovery
 *   BENCH_RECOVERY_TX=100000 npm run bench:recovery
 */
import '../../gateway-api/src/quiet-logs';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { restoreBackup, takeBackup, rebuildInPlace } from '../../gateway-api/src/backup/backup';
import { du, growLedger, seconds } from './grow-ledger';
import { meanProbe, normalised } from './probe';
import { machineProbe } from './stats';

const TRANSACTIONS = Number(process.env.BENCH_RECOVERY_TX ?? 1_000_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 512);

async function main(): Promise<void> {
  const before = machineProbe('before');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cl-bench-recovery-'));
  try {
    const dataDir = path.join(dir, 'data');
    const say = (line: string) => process.stdout.write(`${line}\n`);
    const { ledger, height, loadSeconds } = await growLedger(dir, path.join(dataDir, 'ledger'), TRANSACTIONS, CONCURRENCY, say, 10_000);
    process.stdout.write(
      `loaded ${TRANSACTIONS} transactions in ${height} blocks in ${loadSeconds.toFixed(1)} s; ledger folder ${du(path.join(dataDir, 'ledger'))} bytes\n`,
    );

    const b0 = process.hrtime.bigint();
    const manifest = await takeBackup(dataDir, path.join(dir, 'backup'), { store: ledger.store });
    const backupSeconds = seconds(b0);
    await ledger.close();

    const r0 = process.hrtime.bigint();
    await restoreBackup(path.join(dir, 'backup'), path.join(dir, 'restored'));
    const restoreSeconds = seconds(r0);

    const s0 = process.hrtime.bigint();
    const rebuild = await rebuildInPlace(path.join(dir, 'restored'));
    const rebuildSeconds = seconds(s0);

    process.stdout.write(
      [
        `backup   ${backupSeconds.toFixed(1)} s (${manifest.ledger.entries} LevelDB entries, height ${manifest.ledger.height})`,
        `restore  ${restoreSeconds.toFixed(1)} s (copy, manifest digests, whole-chain audit)`,
        `rebuild  ${rebuildSeconds.toFixed(1)} s (${rebuild.stateKeys} state keys, ${rebuild.historyEntries} history entries; ${rebuild.differenceCount ?? '?'} differences from the stored state)`,
        `recovery from a backup (restore + rebuild) ${(restoreSeconds + rebuildSeconds).toFixed(1)} s for ${TRANSACTIONS} transactions`,
      ].join('\n') + '\n',
    );
    const probe = meanProbe(before, machineProbe('after'));
    // Durations normalise the other way: seconds ÷ seconds per signature (how many signatures' time the step took).
    const n = (s: number) => Math.round(s / (probe.signUs / 1e6));
    process.stdout.write(
      `normalised: load ${normalised(TRANSACTIONS / loadSeconds, probe).toFixed(3)} (tx/s × sign s); backup ${n(backupSeconds)}, restore ${n(restoreSeconds)}, rebuild ${n(rebuildSeconds)} (s ÷ sign s)\n`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
