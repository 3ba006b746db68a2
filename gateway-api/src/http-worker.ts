/**
 * The gateway's HTTP side in a worker thread: fastify, auth, validation and
 * serialisation run here while the embedded ledger runs the chaincode on the main
 * thread, so the two use both cores. Started by main.ts; talks to the ledger
 * through a RemoteLedger on the MessagePort it is given.
 */
import './quiet-logs';
import './fail-fast';
import { isMainThread, MessagePort, parentPort, workerData } from 'node:worker_threads';
import { AppSettings, buildApp } from './app';
import { ApiKeyStore } from './auth/api-keys';
import { County } from './identity/counties';
import { Wallet } from './identity/wallet';
import { RemoteLedger } from './ledger/remote/remote-ledger';

export interface HttpWorkerData {
  readonly ledgerPort: MessagePort;
  readonly ledgerKind: 'embedded' | 'fabric';
  readonly host: string;
  readonly port: number;
  readonly walletDir: string;
  readonly counties: readonly County[];
  readonly keysFile: string;
  readonly stateDir: string;
  readonly settings: Omit<AppSettings, 'subjectHmacKey'>;
  /** A Buffer would arrive as a plain Uint8Array, so the key crosses as hex. */
  readonly subjectHmacKeyHex: string;
}

async function run(data: HttpWorkerData): Promise<void> {
  const ledger = new RemoteLedger(data.ledgerPort, data.ledgerKind);
  const wallet = await Wallet.open(data.walletDir, data.counties);
  const keys = await ApiKeyStore.open(data.keysFile);
  const app = await buildApp({
    ledger,
    keys,
    identities: wallet,
    stateDir: data.stateDir,
    ...data.settings,
    subjectHmacKey: Buffer.from(data.subjectHmacKeyHex, 'hex'),
  });
  parentPort?.on('message', (m: { stop?: boolean; copyGatewayDatabases?: string; id?: number }) => {
    if (m.stop) void app.close().then(() => parentPort?.postMessage({ stopped: true }));
    if (m.copyGatewayDatabases !== undefined) {
      app.copyGatewayDatabases(m.copyGatewayDatabases).then(
        () => parentPort?.postMessage({ backedUp: m.id }),
        (err: unknown) => parentPort?.postMessage({ id: m.id, backupError: err instanceof Error ? err.message : String(err) }),
      );
    }
  });
  await app.listen({ host: data.host, port: data.port });
  const address = app.server.address();
  parentPort?.postMessage({ listening: typeof address === 'object' && address ? address.port : data.port });
}

if (!isMainThread) {
  run(workerData as HttpWorkerData).catch((err: unknown) => {
    parentPort?.postMessage({ error: err instanceof Error ? err.message : String(err) });
  });
}
