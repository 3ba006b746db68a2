/** The REST side of the Fabric benchmark: the real gateway app on the Fabric network, in its own process. */
import '../../gateway-api/src/quiet-logs';
import '../../gateway-api/src/fail-fast';
import path from 'node:path';
import { buildApp } from '../../gateway-api/src/app';
import { ApiKeyStore } from '../../gateway-api/src/auth/api-keys';
import { openFabric } from '../../gateway-api/src/ledger/fabric/open-fabric';

async function main(): Promise<void> {
  const [dir, mspId] = process.argv.slice(2) as [string, string];
  const { ledger, wallet } = await openFabric(dir, { ...process.env, FABRIC_MSP_ID: mspId });
  await wallet.issue(mspId, 'admin', 'admin');
  const keys = await ApiKeyStore.open(path.join(dir, 'bench-keys.json'));
  const { apiKey } = await keys.create(mspId, 'admin');
  const app = await buildApp({ ledger, keys, identities: wallet, stateDir: path.join(dir, 'rest-gateway') });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  process.send?.({ port: typeof address === 'object' && address ? address.port : 0, apiKey });
  process.once(
    'SIGTERM',
    () =>
      void app
        .close()
        .then(() => ledger.close())
        .then(() => process.exit(0)),
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`fabric bench server failed: ${String(err)}\n`);
  process.exit(1);
});
