import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { County } from '../../identity/counties';
import { CaMaterial } from '../../identity/county-ca';
import { Wallet } from '../../identity/wallet';
import { FabricLedger } from './fabric-ledger';
import { loadNetworkDescription } from './network-description';

/**
 * Opens the gateway's ledger on the Fabric network described by FABRIC_NETWORK
 * (default network/run/network.json), talking to the peer of FABRIC_MSP_ID (default
 * the first county). Member identities are issued by the counties' own MSP CAs.
 */
export async function openFabric(dataDir: string, env: NodeJS.ProcessEnv = process.env) {
  const file = env.FABRIC_NETWORK ?? path.resolve('network/run/network.json');
  const network = loadNetworkDescription(file);
  const mspId = env.FABRIC_MSP_ID ?? (network.counties[0]?.mspId as string);
  const cas: Record<string, CaMaterial> = {};
  for (const c of network.counties) {
    const keyFile = readdirSync(c.ca.keyDir).find((f) => f.endsWith('_sk'));
    if (!keyFile) throw new Error(`no CA key in ${c.ca.keyDir}`);
    cas[c.mspId] = { mspId: c.mspId, certificate: readFileSync(c.ca.cert, 'utf8'), privateKey: readFileSync(path.join(c.ca.keyDir, keyFile), 'utf8') };
  }
  const counties: County[] = network.counties.map((c) => ({ mspId: c.mspId, name: c.name, division: c.division }));
  const wallet = await Wallet.open(path.join(dataDir, 'wallet-fabric'), counties, cas);
  await wallet.issue(mspId, 'gateway', 'client');
  const ledger = new FabricLedger({ network, mspId, systemIdentity: wallet.ledgerIdentity(mspId, 'gateway'), ...(env.FABRIC_CHAINCODE ? { chaincodeName: env.FABRIC_CHAINCODE } : {}) });
  return { ledger, wallet, counties };
}
