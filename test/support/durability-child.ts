import './setup';
import { contracts } from '../../chaincode/src/index';
import { DEFAULT_COUNTIES } from '../../gateway-api/src/identity/counties';
import { Wallet } from '../../gateway-api/src/identity/wallet';
import { EmbeddedLedger } from '../../gateway-api/src/ledger/embedded/embedded-ledger';
import { probe } from './probe';
import { ProbeContract } from './probe-contract';

/**
 * Child process of the durability test:
 *   node dist/test/support/durability-child.js <ledgerDir> <walletDir> <member> <concurrency> <max>
 * Opens an embedded ledger on <ledgerDir> and submits Probe:Put transactions, `concurrency`
 * at a time, printing "<txId> <key> <value>" once each is acknowledged. The parent kills it
 * with SIGKILL part-way and checks that every acknowledged transaction survived.
 */
async function main(): Promise<void> {
  const [ledgerDir, walletDir, member, concurrencyArg, maxArg] = process.argv.slice(2);
  if (!ledgerDir || !walletDir || !member) throw new Error('usage: durability-child <ledgerDir> <walletDir> <member> [concurrency] [max]');
  const concurrency = Number(concurrencyArg ?? '16');
  const max = Number(maxArg ?? '100000');
  const wallet = await Wallet.open(walletDir, DEFAULT_COUNTIES);
  const identity = wallet.ledgerIdentity('LiangdangMSP', member);
  const ledger = await EmbeddedLedger.open({
    dataDir: ledgerDir,
    contracts: [...contracts, ProbeContract],
    trustedCas: wallet.trustedCas(),
    endorsers: wallet.endorsers(),
    ordering: await wallet.ordering(),
  });
  process.stdout.write('ready\n');
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < max) {
      const i = next++;
      const key = `durable/${String(i).padStart(6, '0')}`;
      const value = `value-${i}`;
      const r = await ledger.submit(identity, probe('Put', key, value));
      // A write to a pipe is synchronous on Linux: once this returns, the parent can read the line.
      process.stdout.write(`${r.txId} ${key} ${value}\n`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  await ledger.close();
}

main().catch((err: unknown) => {
  process.stderr.write(`durability child failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
