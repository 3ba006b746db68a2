import './quiet-logs';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { contracts } from '../../chaincode/src';
import { buildApp } from './app';
import { ApiKeyStore } from './auth/api-keys';
import { loadConfig } from './config';
import { seedDemo } from './demo/seed';
import { County, DEFAULT_COUNTIES } from './identity/counties';
import { openFabric } from './ledger/fabric/open-fabric';
import { Wallet } from './identity/wallet';
import { EmbeddedLedger } from './ledger/embedded/embedded-ledger';
import { Ledger } from './ledger/ledger';

async function main(): Promise<void> {
  const config = loadConfig();
  mkdirSync(config.dataDir, { recursive: true });
  let ledger: Ledger;
  let wallet: Wallet;
  let counties: readonly County[] = DEFAULT_COUNTIES;
  const keys = await ApiKeyStore.open(path.join(config.dataDir, 'api-keys.json'));
  if (config.ledger === 'fabric') {
    const fabric = await openFabric(config.dataDir);
    ({ ledger, wallet, counties } = fabric);
  } else {
    wallet = await Wallet.open(path.join(config.dataDir, 'wallet'), DEFAULT_COUNTIES);
    ledger = await EmbeddedLedger.open({
      dataDir: path.join(config.dataDir, 'ledger'),
      contracts,
      trustedCas: wallet.trustedCas(),
      endorsers: wallet.endorsers(),
    });
  }

  if (config.demo && keys.size === 0) {
    const demo = await seedDemo(ledger, wallet, keys, counties);
    const lines = demo.map((d) => `  ${d.mspId.padEnd(13)} ${d.member.padEnd(12)} ${d.roles.join(',').padEnd(14)} ${d.apiKey}`);
    process.stdout.write(
      `\nDemo members seeded. Their API keys are shown this once; keep them:\n\n  ${'county'.padEnd(13)} ${'member'.padEnd(12)} ${'roles'.padEnd(14)} api key\n${lines.join('\n')}\n\n`,
    );
  }

  const app = await buildApp({ ledger, keys, identities: wallet, stateDir: path.join(config.dataDir, 'gateway'), logLevel: config.logLevel, maxEvidenceBytes: config.maxEvidenceBytes });
  const shutdown = async (signal: string) => {
    app.log.info({ signal }, 'shutting down');
    await app.close();
    await ledger.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  await app.listen({ host: config.host, port: config.port });
  process.stdout.write(`County Ledger API on http://${config.host}:${config.port} (ledger: ${ledger.kind}, data: ${config.dataDir}); docs at /docs\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`county-ledger: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
