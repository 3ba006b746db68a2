import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { contracts } from '../../chaincode/src/index';
import { DEFAULT_COUNTIES } from '../../gateway-api/src/identity/counties';
import { Wallet } from '../../gateway-api/src/identity/wallet';
import { EmbeddedLedger } from '../../gateway-api/src/ledger/embedded/embedded-ledger';
import { BENCH_TRANSACTIONS, BenchContract } from './bench-contract';
import { drive } from './stats';

export const seconds = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e9;
/** Bytes a folder takes on disk. */
export const du = (dir: string) => execFileSync('du', ['-sb', dir]).toString().split('\t')[0];

/**
 * An embedded ledger in `ledgerDir` grown to `transactions` bench puts of ~100-byte values through
 * the real endorse-and-commit path (`concurrency` at once, so many per block), with a progress line
 * every `progressMs`. The ledger is left open for the benchmark to use.
 */
export async function growLedger(
  dir: string,
  ledgerDir: string,
  transactions: number,
  concurrency: number,
  say: (line: string) => void,
  progressMs: number,
): Promise<{ ledger: EmbeddedLedger; height: number; loadSeconds: number }> {
  const wallet = await Wallet.open(path.join(dir, 'wallet'), DEFAULT_COUNTIES);
  await wallet.issue('LiangdangMSP', 'bench', 'client');
  const ledger = await EmbeddedLedger.open({
    dataDir: ledgerDir,
    contracts: [...contracts, BenchContract],
    trustedCas: wallet.trustedCas(),
    endorsers: wallet.endorsers(),
    ordering: await wallet.ordering(),
  });
  const id = wallet.ledgerIdentity('LiangdangMSP', 'bench');
  const t0 = process.hrtime.bigint();
  let last = Date.now();
  let done = 0;
  const load = await drive(transactions, concurrency, async (i) => {
    await ledger.submit(id, { name: BENCH_TRANSACTIONS.put, args: [`key-${i}`, `value-${i}-${'v'.repeat(80)}`] });
    done++;
    if (Date.now() - last > progressMs) {
      last = Date.now();
      const rate = done / seconds(t0);
      say(
        `  loaded ${done} of ${transactions} transactions (${seconds(t0).toFixed(0)} s, ${rate.toFixed(0)} tx/s, ETA ${((transactions - done) / rate).toFixed(0)} s)`,
      );
    }
  });
  if (load.firstError) throw load.firstError;
  return { ledger, height: await ledger.height(), loadSeconds: seconds(t0) };
}
