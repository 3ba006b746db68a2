import './setup';
import { contracts } from '../../chaincode/src/index';
import { buildApp } from '../../gateway-api/src/app';
import { ApiKeyStore } from '../../gateway-api/src/auth/api-keys';
import { DEFAULT_COUNTIES } from '../../gateway-api/src/identity/counties';
import { Wallet } from '../../gateway-api/src/identity/wallet';
import { EmbeddedLedger } from '../../gateway-api/src/ledger/embedded/embedded-ledger';
import { Ledger } from '../../gateway-api/src/ledger/ledger';

/**
 * Child process of the idempotency crash test:
 *   node dist/test/support/idempotency-crash-child.js <ledgerDir> <walletDir> <keysFile> <stateDir>
 * Serves the gateway on a free port (printing "port <n>") over an embedded ledger whose submit,
 * once its transaction has committed, prints "committed <txId>" and kills this process with
 * SIGKILL: the gateway dies between the commit and its answer, as in a power cut.
 */
async function main(): Promise<void> {
  const [ledgerDir, walletDir, keysFile, stateDir] = process.argv.slice(2);
  if (!ledgerDir || !walletDir || !keysFile || !stateDir) throw new Error('usage: idempotency-crash-child <ledgerDir> <walletDir> <keysFile> <stateDir>');
  const wallet = await Wallet.open(walletDir, DEFAULT_COUNTIES);
  const ledger = await EmbeddedLedger.open({
    dataDir: ledgerDir,
    contracts,
    trustedCas: wallet.trustedCas(),
    endorsers: wallet.endorsers(),
    ordering: await wallet.ordering(),
  });
  const dying = new Proxy(ledger, {
    get(target, property) {
      if (property === 'submit')
        return async (...args: Parameters<Ledger['submit']>) => {
          const r = await target.submit(...args);
          // A write to a pipe is synchronous on Linux: the parent has the line before the process dies.
          process.stdout.write(`committed ${r.txId}\n`);
          process.kill(process.pid, 'SIGKILL');
          return r;
        };
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  const app = await buildApp({ ledger: dying, keys: await ApiKeyStore.open(keysFile), identities: wallet, stateDir });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  process.stdout.write(`port ${typeof address === 'object' && address ? address.port : 0}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`idempotency crash child failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
