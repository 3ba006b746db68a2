import './quiet-logs';
import './fail-fast';
import { contracts } from '../../chaincode/src/public';
import { existsSync, mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { AppSettings, buildApp } from './app';
import { ApiKeyStore } from './auth/api-keys';
import { writeFileAtomic } from './auth/atomic-file';
import { GatewayConfig, helpText, loadConfig, readTls, TlsMaterial, wantsHelp } from './config';
import { MessageChannel, Worker } from 'node:worker_threads';
import type { HttpWorkerData } from './http-worker';
import { hostLedger } from './ledger/remote/ledger-host';
import { seedDemo } from './demo/seed';
import { BlobStore } from './evidence/blob-store';
import { County, DEFAULT_COUNTIES } from './identity/counties';
import { openFabricLedger } from './ledger/fabric/open-fabric';
import { Wallet } from './identity/wallet';
import { EmbeddedLedger } from './ledger/embedded/embedded-ledger';
import { Ledger } from './ledger/ledger';
import { takeBackup } from './backup/backup';
import { serveControl } from './backup/control-socket';

/** How long a stopping gateway waits for its ledger to close (queued blocks written or refused) before it exits anyway. */
const LEDGER_CLOSE_TIMEOUT_MS = 30_000;

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (wantsHelp(argv)) {
    process.stdout.write(helpText());
    return;
  }
  const config = loadConfig(argv);
  // The HTTPS files are read before anything starts, so a missing one stops the gateway at once.
  const settings = appSettings(config, config.tls ? readTls(config.tls) : undefined);
  mkdirSync(config.dataDir, { recursive: true });
  // Certificates are a side service: a missing font does not stop the gateway, it is said at once.
  if (!existsSync(config.cjkFont)) {
    process.stderr.write(
      `county-ledger: CJK_FONT ${config.cjkFont} is missing; evidence certificates answer 503 until fonts-wqy-microhei is installed or CJK_FONT names a font with Chinese glyphs\n`,
    );
  }
  let ledger: Ledger;
  let wallet: Wallet;
  let counties: readonly County[] = DEFAULT_COUNTIES;
  const keys = await ApiKeyStore.open(path.join(config.dataDir, 'api-keys.json'));
  if (config.ledger === 'fabric') {
    const fabric = await openFabricLedger(config.dataDir, config.fabric);
    ({ ledger, wallet, counties } = fabric);
  } else {
    wallet = await Wallet.open(path.join(config.dataDir, 'wallet'), DEFAULT_COUNTIES);
    ledger = await EmbeddedLedger.open({
      dataDir: path.join(config.dataDir, 'ledger'),
      contracts,
      trustedCas: wallet.trustedCas(),
      endorsers: wallet.endorsers(),
      ordering: await wallet.ordering(),
      verifyOnStart: config.verifyOnStart,
    });
  }

  const stateDir = path.join(config.dataDir, 'gateway');
  if (config.demo && keys.size === 0) {
    const demo = await seedDemo(ledger, wallet, keys, counties, new BlobStore(path.join(stateDir, 'blobs'), config.evidenceDiskReserveBytes));
    const lines = demo.keys.map((d) => `  ${d.mspId.padEnd(13)} ${d.member.padEnd(12)} ${d.roles.join(',').padEnd(14)} ${d.apiKey}`);
    const facts = [
      ...Object.entries(demo.enterprises).map(([msp, code]) => `  enterprise of ${msp.padEnd(13)} ${code}`),
      ...(demo.settledOrderId ? [`  settled order (deal evidence)  ${demo.settledOrderId}`] : []),
      ...(demo.listedAssetId ? [`  asset listed for sale          ${demo.listedAssetId}`] : []),
    ];
    process.stdout.write(
      `\nDemo data seeded. API keys are shown this once; keep them:\n\n  ${'county'.padEnd(13)} ${'member'.padEnd(12)} ${'roles'.padEnd(14)} api key\n${lines.join('\n')}\n\n${facts.join('\n')}\n\n`,
    );
  }

  const hmacKey = config.subjectHmacKey ?? (await dataDirHmacKey(config.dataDir));
  if (config.ledger === 'embedded' && config.httpWorker) {
    await serveFromWorker(config, settings, ledger, counties, stateDir, hmacKey);
    return;
  }
  const app = await buildApp({ ledger, keys, identities: wallet, stateDir, ...settings, subjectHmacKey: hmacKey });
  const control = ledger instanceof EmbeddedLedger ? serveBackups(config.dataDir, ledger, (dir) => app.copyGatewayDatabases(dir)) : undefined;
  const shutdown = async (signal: string) => {
    app.log.info({ signal }, 'shutting down');
    control?.close();
    await app.close();
    await ledger.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  await app.listen({ host: config.host, port: config.port });
  // The port listened on: PORT=0 takes any free one.
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  process.stdout.write(`County Ledger API on ${scheme(config)}://${config.host}:${port} (ledger: ${ledger.kind}, data: ${config.dataDir}); docs at /docs\n`);
}

/**
 * The embedded ledger keeps this thread; the HTTP side runs in a worker thread and
 * reaches the ledger over a MessagePort, so chaincode and HTTP work use both cores.
 */
async function serveFromWorker(
  config: GatewayConfig,
  settings: Omit<AppSettings, 'subjectHmacKey'>,
  ledger: Ledger,
  counties: readonly County[],
  stateDir: string,
  hmacKey: Buffer,
): Promise<void> {
  const { port1, port2 } = new MessageChannel();
  const host = hostLedger(ledger, port1);
  const data: HttpWorkerData = {
    ledgerPort: port2,
    ledgerKind: ledger.kind,
    host: config.host,
    port: config.port,
    walletDir: path.join(config.dataDir, 'wallet'),
    counties,
    keysFile: path.join(config.dataDir, 'api-keys.json'),
    stateDir,
    settings,
    subjectHmacKeyHex: hmacKey.toString('hex'),
  };
  const worker = new Worker(path.join(__dirname, 'http-worker.js'), { workerData: data, transferList: [port2] });
  const port = await new Promise<number>((resolve, reject) => {
    worker.once('error', reject);
    worker.on('message', (m: { listening?: number; error?: string }) => {
      if (m.listening !== undefined) resolve(m.listening);
      if (m.error) reject(new Error(m.error));
    });
    worker.once('exit', (code) => reject(new Error(`the HTTP worker exited with ${code}`)));
  });
  let backups = 0;
  const copyGatewayDatabases = (dir: string) =>
    new Promise<void>((resolve, reject) => {
      const id = ++backups;
      const onMessage = (m: { backedUp?: number; backupError?: string; id?: number }) => {
        if (m.backedUp !== id && m.id !== id) return;
        worker.off('message', onMessage);
        if (m.backupError !== undefined) reject(new Error(m.backupError));
        else resolve();
      };
      worker.on('message', onMessage);
      worker.postMessage({ copyGatewayDatabases: dir, id });
    });
  const control = ledger instanceof EmbeddedLedger ? serveBackups(config.dataDir, ledger, copyGatewayDatabases) : undefined;
  // One stop, whichever asks first: a signal (exit 0) or the HTTP worker's end (exit 1). An
  // uncaught failure ends the HTTP thread (fail-fast.ts); the gateway then stops whole, its ledger
  // closed, so that whatever supervises it starts it again: a ledger nobody can reach serves no one.
  let stopping: Promise<void> | undefined;
  const stop = (code: number, httpWorkerGone: boolean) =>
    (stopping ??= (async () => {
      // Whatever happens below, the process ends with this code.
      process.exitCode = code;
      try {
        control?.close();
        if (!httpWorkerGone) {
          worker.postMessage({ stop: true });
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, 5000);
            worker.on('message', (m: { stopped?: boolean }) => {
              if (m.stopped) {
                clearTimeout(timer);
                resolve();
              }
            });
          });
          await worker.terminate();
        }
        host.close();
        // A close that hangs must not keep a stopped gateway from being started again.
        await Promise.race([ledger.close(), new Promise((resolve) => setTimeout(resolve, LEDGER_CLOSE_TIMEOUT_MS))]);
      } catch (err) {
        process.stderr.write(`county-ledger: stopping failed: ${err instanceof Error ? err.message : String(err)}\n`);
      } finally {
        process.exit(code);
      }
    })());
  worker.on('error', (err) => process.stderr.write(`county-ledger: the HTTP worker failed: ${err.stack ?? err.message}\n`));
  worker.once('exit', (code) => {
    if (stopping) return;
    process.stderr.write(`county-ledger: the HTTP worker stopped (exit code ${code}); the gateway stops\n`);
    void stop(1, true);
  });
  const shutdown = () => stop(0, false);
  process.once('SIGINT', () => void shutdown());
  process.once('SIGTERM', () => void shutdown());
  process.stdout.write(`County Ledger API on ${scheme(config)}://${config.host}:${port} (ledger: ${ledger.kind}, data: ${config.dataDir}); docs at /docs\n`);
}

/** The operator's backups of a running embedded ledger, over the data folder's control socket (backup/control-socket.ts). */
function serveBackups(dataDir: string, ledger: EmbeddedLedger, copyGatewayDatabases: (dir: string) => Promise<void>) {
  return serveControl(dataDir, (target, progress) =>
    takeBackup(dataDir, target, { store: ledger.store, copyGatewayDatabases: (dir) => copyGatewayDatabases(dir) }, progress),
  );
}

/** What buildApp takes from the config (the HMAC key travels apart: as hex to the HTTP worker), with the HTTPS material read from its files. */
function appSettings(config: GatewayConfig, tls: TlsMaterial | undefined): Omit<AppSettings, 'subjectHmacKey'> {
  return {
    logLevel: config.logLevel,
    maxEvidenceBytes: config.maxEvidenceBytes,
    publicRateLimit: config.publicRateLimit,
    queryTrail: config.queryTrail,
    ...(tls ? { tls } : {}),
    authFailureLimit: config.authFailureLimit,
    keyRateLimit: config.keyRateLimit,
    evidenceDiskReserveBytes: config.evidenceDiskReserveBytes,
    eventStreams: config.eventStreams,
    healthMaxBlockLag: config.healthMaxBlockLag,
    publicBaseUrl: config.publicBaseUrl,
    cjkFont: config.cjkFont,
    explorerIndex: { catchUpAtStart: true },
  };
}

function scheme(config: GatewayConfig): 'http' | 'https' {
  return config.tls ? 'https' : 'http';
}

/**
 * The key for HMAC subject IDs of individuals when SUBJECT_HMAC_KEY is not set. Every county's
 * gateway must use the same key so one person has one subject ID everywhere; a key generated
 * once per data folder suits a single-gateway laptop setup.
 */
async function dataDirHmacKey(dataDir: string): Promise<Buffer> {
  const file = path.join(dataDir, 'subject-hmac.key');
  if (existsSync(file)) return Buffer.from((await readFile(file, 'utf8')).trim(), 'hex');
  const key = randomBytes(32);
  await writeFileAtomic(file, key.toString('hex'));
  return key;
}

main().catch((err: unknown) => {
  process.stderr.write(`county-ledger: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
