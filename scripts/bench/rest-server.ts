/**
 * The REST side of the embedded benchmark, in its own process, laid out as `npm start` runs
 * it: the embedded ledger on the main thread and the real gateway app (plus one bench route
 * pair) in a worker thread reaching it over a MessagePort. BENCH_HTTP_WORKER=0 serves HTTP
 * on the ledger's thread instead.
 */
import '../../gateway-api/src/quiet-logs';
import '../../gateway-api/src/fail-fast';
import path from 'node:path';
import { isMainThread, MessageChannel, MessagePort, parentPort, Worker, workerData } from 'node:worker_threads';
import { z } from 'zod';
import { contracts } from '../../chaincode/src/index';
import { buildApp } from '../../gateway-api/src/app';
import { ApiKeyStore } from '../../gateway-api/src/auth/api-keys';
import { DEFAULT_COUNTIES } from '../../gateway-api/src/identity/counties';
import { Wallet } from '../../gateway-api/src/identity/wallet';
import { EmbeddedLedger } from '../../gateway-api/src/ledger/embedded/embedded-ledger';
import { Ledger } from '../../gateway-api/src/ledger/ledger';
import { hostLedger } from '../../gateway-api/src/ledger/remote/ledger-host';
import { RemoteLedger } from '../../gateway-api/src/ledger/remote/remote-ledger';
import { callerOf } from '../../gateway-api/src/plugins/auth';
import { tx } from '../../chaincode/src/catalogue';
import { submit } from '../../gateway-api/src/ledger/calls';
import { BENCH_TRANSACTIONS, BenchContract } from './bench-contract';

interface Setup {
  readonly dir: string;
  readonly walletDir: string;
}

/** The gateway app with the bench routes: same auth, validation, error handling and ledger path as every API route. */
async function serve(ledger: Ledger, setup: Setup): Promise<number> {
  const wallet = await Wallet.open(setup.walletDir, DEFAULT_COUNTIES);
  const keys = await ApiKeyStore.open(path.join(setup.dir, 'bench-keys.json'));
  // 64 clients share one key here, far beyond the default per-key budget (KEY_RATE_BURST / KEY_RATE_PER_SECOND): the limiter
  // stays on, so its cost is measured, with a budget no run reaches.
  const keyRateLimit = { burst: 1_000_000_000, perSecond: 1_000_000_000 };
  const app = await buildApp({ ledger, keys, identities: wallet, stateDir: path.join(setup.dir, 'rest-gateway'), keyRateLimit });
  app.post(
    '/bench/records',
    { config: { submits: true }, schema: { hide: true, body: z.object({ key: z.string().max(64), value: z.string().max(1024) }) } },
    async (req, reply) => {
      const body = req.body as { key: string; value: string };
      const r = await ledger.submit(callerOf(req).identity, { name: BENCH_TRANSACTIONS.put, args: [body.key, body.value] });
      return reply.code(201).send({ txId: r.txId, blockNumber: r.blockNumber });
    },
  );
  app.get('/bench/records/:key', { schema: { hide: true, params: z.object({ key: z.string().max(64) }) } }, async (req) => {
    const { key } = req.params as { key: string };
    return { key, value: (await ledger.evaluate(callerOf(req).identity, { name: BENCH_TRANSACTIONS.get, args: [key] })).toString('utf8') };
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  return typeof address === 'object' && address ? address.port : 0;
}

async function main(): Promise<void> {
  const [dir, walletDir] = process.argv.slice(2) as [string, string];
  const wallet = await Wallet.open(walletDir, DEFAULT_COUNTIES);
  const keys = await ApiKeyStore.open(path.join(dir, 'bench-keys.json'));
  const { apiKey } = await keys.create('LiangdangMSP', 'bench');
  const ledger = await EmbeddedLedger.open({
    dataDir: path.join(dir, 'rest-ledger'),
    contracts: [...contracts, BenchContract],
    trustedCas: wallet.trustedCas(),
    endorsers: wallet.endorsers(),
    ordering: await wallet.ordering(),
  });
  // The bench caller holds a role, as every caller of a data route must (a member without one reaches only /members/me).
  await wallet.issue('LiangdangMSP', 'admin', 'admin');
  await wallet.issue('LiangdangMSP', 'bench', 'client');
  await submit(ledger, wallet.ledgerIdentity('LiangdangMSP', 'admin'), tx.membership.grantRole, { member: 'bench', role: 'auditor' });
  let port: number;
  if (process.env.BENCH_HTTP_WORKER === '0') {
    port = await serve(ledger, { dir, walletDir });
  } else {
    const { port1, port2 } = new MessageChannel();
    hostLedger(ledger, port1);
    const worker = new Worker(__filename, { workerData: { dir, walletDir, ledgerPort: port2 }, transferList: [port2] });
    port = await new Promise<number>((resolve, reject) => {
      worker.once('message', (m: { port: number }) => resolve(m.port));
      worker.once('error', reject);
    });
  }
  process.send?.({ port, apiKey, pid: process.pid });
  process.once('SIGTERM', () => void ledger.close().then(() => process.exit(0)));
}

if (isMainThread) {
  main().catch((err: unknown) => {
    process.stderr.write(`bench server failed: ${String(err)}\n`);
    process.exit(1);
  });
} else {
  const data = workerData as Setup & { ledgerPort: MessagePort };
  serve(new RemoteLedger(data.ledgerPort, 'embedded'), data)
    .then((port) => parentPort?.postMessage({ port }))
    .catch((err: unknown) => {
      process.stderr.write(`bench HTTP worker failed: ${String(err)}\n`);
      process.exit(1);
    });
}
