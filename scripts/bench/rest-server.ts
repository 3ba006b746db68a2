/** The REST side of the embedded benchmark: the real gateway app plus one bench route, in its own process. */
import '../../gateway-api/src/quiet-logs';
import path from 'node:path';
import { z } from 'zod';
import { contracts } from '../../chaincode/src';
import { buildApp } from '../../gateway-api/src/app';
import { ApiKeyStore } from '../../gateway-api/src/auth/api-keys';
import { DEFAULT_COUNTIES } from '../../gateway-api/src/identity/counties';
import { Wallet } from '../../gateway-api/src/identity/wallet';
import { EmbeddedLedger } from '../../gateway-api/src/ledger/embedded/embedded-ledger';
import { callerOf } from '../../gateway-api/src/plugins/auth';
import { BenchContract } from './bench-contract';

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
  });
  const app = await buildApp({ ledger, keys, identities: wallet, stateDir: path.join(dir, 'rest-gateway') });
  // Same auth, validation, error handling and ledger path as every API route.
  app.post('/bench/records', { config: { submits: true }, schema: { hide: true, body: z.object({ key: z.string().max(64), value: z.string().max(1024) }) } }, async (req, reply) => {
    const body = req.body as { key: string; value: string };
    const r = await ledger.submit(callerOf(req).identity, { name: 'Bench:Put', args: [body.key, body.value] });
    return reply.code(201).send({ txId: r.txId, blockNumber: r.blockNumber });
  });
  app.get('/bench/records/:key', { schema: { hide: true, params: z.object({ key: z.string().max(64) }) } }, async (req) => {
    const { key } = req.params as { key: string };
    return { key, value: (await ledger.evaluate(callerOf(req).identity, { name: 'Bench:Get', args: [key] })).toString('utf8') };
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  process.send?.({ port: typeof address === 'object' && address ? address.port : 0, apiKey });
  process.once('SIGTERM', () => void app.close().then(() => ledger.close()).then(() => process.exit(0)));
}

main().catch((err: unknown) => {
  process.stderr.write(`bench server failed: ${String(err)}\n`);
  process.exit(1);
});
