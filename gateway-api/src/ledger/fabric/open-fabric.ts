import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Environment, FabricSettings, fabricSettings } from '../../config';
import { County } from '../../identity/counties';
import { CaMaterial } from '../../identity/county-ca';
import { Wallet } from '../../identity/wallet';
import { FabricLedger } from './fabric-ledger';
import { loadNetworkDescription } from './network-description';

/**
 * openFabricLedger with the Fabric settings of `env` (FABRIC_NETWORK, FABRIC_MSP_ID, FABRIC_CHAINCODE,
 * parsed by config.ts), for the tests and benchmarks that pick a county through the environment.
 */
export async function openFabric(dataDir: string, env?: Environment) {
  return openFabricLedger(dataDir, fabricSettings(env));
}

/**
 * Opens the gateway's ledger on the Fabric network described by `settings.networkFile`, talking
 * to the peer of `settings.mspId` (default the first county). Member identities are issued by the
 * counties' own MSP CAs.
 */
export async function openFabricLedger(dataDir: string, settings: FabricSettings) {
  const network = loadNetworkDescription(settings.networkFile);
  const mspId = settings.mspId ?? (network.counties[0]?.mspId as string);
  const cas: Record<string, CaMaterial> = {};
  for (const c of network.counties) {
    const keyFile = readdirSync(c.ca.keyDir).find((f) => f.endsWith('_sk'));
    if (!keyFile) throw new Error(`no CA key in ${c.ca.keyDir}`);
    cas[c.mspId] = { mspId: c.mspId, certificate: readFileSync(c.ca.cert, 'utf8'), privateKey: readFileSync(path.join(c.ca.keyDir, keyFile), 'utf8') };
  }
  const counties: County[] = network.counties.map((c) => ({ mspId: c.mspId, name: c.name, division: c.division }));
  const wallet = await Wallet.open(path.join(dataDir, 'wallet-fabric'), counties, cas);
  await wallet.issue(mspId, 'gateway', 'client');
  const ledger = new FabricLedger({
    network,
    mspId,
    systemIdentity: wallet.ledgerIdentity(mspId, 'gateway'),
    ...(settings.chaincode ? { chaincodeName: settings.chaincode } : {}),
  });
  return { ledger, wallet, counties };
}
