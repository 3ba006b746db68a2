import { X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Environment, FabricSettings, fabricSettings } from '../../config';
import { County } from '../../identity/counties';
import { CaMaterial } from '../../identity/county-ca';
import { Wallet } from '../../identity/wallet';
import { FabricLedger } from './fabric-ledger';
import { custodyFileOf, loadCountyCustody, loadNetworkDescription, NetworkDescription } from './network-description';

/**
 * openFabricLedger with the Fabric settings of `env` (FABRIC_NETWORK, FABRIC_MSP_ID, FABRIC_CHAINCODE,
 * parsed by config.ts), for the tests and benchmarks that pick a county through the environment.
 */
export async function openFabric(dataDir: string, env?: Environment) {
  return openFabricLedger(dataDir, fabricSettings(env));
}

/**
 * Opens the gateway's ledger on the Fabric network described by `settings.networkFile`, talking
 * to the peer of `settings.mspId` (default the first county). Each county's keys stay in its own
 * hands: the gateway reads the network description (public facts of every county), its own
 * county's facts (`counties/<key>/county.json` next to it) and its own CA's key, and keeps its own
 * members' identities in `DATA_DIR/wallet-fabric/<mspId>`. It refuses to start when it is handed
 * another county's private key: a private key path for another county in the network description,
 * a CA key that belongs to another county's CA, or another county's identities in its wallet.
 * `counties` is the gateway's own county: the only one it can issue identities for.
 */
export async function openFabricLedger(dataDir: string, settings: FabricSettings) {
  const network = loadNetworkDescription(settings.networkFile);
  const mspId = settings.mspId ?? (network.counties[0]?.mspId as string);
  const own = network.counties.find((c) => c.mspId === mspId);
  if (!own) throw new Error(`${settings.networkFile} has no county ${mspId} (FABRIC_MSP_ID); it lists ${network.counties.map((c) => c.mspId).join(', ')}`);
  refuseOtherCountiesKeyPaths(network, settings.networkFile, mspId);
  const ca = ownCa(network, settings.networkFile, own);
  const county: County = { mspId: own.mspId, name: own.name, division: own.division };
  const wallet = await Wallet.open(path.join(dataDir, 'wallet-fabric', mspId), [county], { [mspId]: ca });
  await wallet.issue(mspId, 'gateway', 'client');
  const fallbackMspIds = fallbackPeersOf(network, settings, mspId);
  const ledger = new FabricLedger({
    network,
    mspId,
    systemIdentity: wallet.ledgerIdentity(mspId, 'gateway'),
    ...(settings.chaincode ? { chaincodeName: settings.chaincode } : {}),
    ...(fallbackMspIds.length ? { fallbackMspIds } : {}),
  });
  return { ledger, wallet, counties: [county] as readonly County[] };
}

type NetworkCounty = NetworkDescription['counties'][number];

/** FABRIC_FALLBACK_PEERS (county keys or MSP IDs) as the MSP IDs of other counties of the network, in the order given. */
function fallbackPeersOf(network: NetworkDescription, settings: FabricSettings, mspId: string): string[] {
  return (settings.fallbackPeers ?? []).map((name) => {
    const c = network.counties.find((x) => x.key === name || x.mspId === name);
    if (!c)
      throw new Error(`FABRIC_FALLBACK_PEERS names ${name}, which is no county of ${settings.networkFile} (${network.counties.map((x) => x.key).join(', ')})`);
    if (c.mspId === mspId) throw new Error(`FABRIC_FALLBACK_PEERS names ${name}, the gateway's own county: list other counties' peers`);
    return c.mspId;
  });
}

/** The network description is shared by every county: it must not name any county's private material. */
function refuseOtherCountiesKeyPaths(network: NetworkDescription, file: string, mspId: string): void {
  for (const c of network.counties) {
    if (c.mspId === mspId) continue;
    const raw = c as unknown as { ca?: { keyDir?: unknown }; admin?: unknown; users?: unknown };
    const named = [raw.ca?.keyDir !== undefined && 'ca.keyDir', raw.admin !== undefined && 'admin', raw.users !== undefined && 'users'].filter(Boolean);
    if (named.length > 0) {
      throw new Error(
        `${file} hands ${mspId}'s gateway private key paths of ${c.mspId} (${named.join(', ')}); a county's gateway holds only its own county's keys: render the network again (npm run network:up)`,
      );
    }
  }
}

/** Reads the county's own CA (certificate and key) and checks the key is that CA's, not another county's. */
function ownCa(network: NetworkDescription, networkFile: string, own: NetworkCounty): CaMaterial {
  const custodyFile = custodyFileOf(networkFile, own.key);
  const custody = loadCountyCustody(custodyFile, own.mspId);
  const certificate = readFileSync(custody.ca.cert, 'utf8');
  const published = readFileSync(own.ca.cert, 'utf8');
  if (!sameCertificate(certificate, published)) {
    throw new Error(`${custody.ca.cert} (in ${custodyFile}) is not ${own.mspId}'s CA certificate as published in ${own.ca.cert}`);
  }
  const keyFiles = readdirSync(custody.ca.keyDir).filter((f) => f.endsWith('_sk'));
  if (keyFiles.length !== 1) throw new Error(`expected one CA key (*_sk) in ${custody.ca.keyDir}, found ${keyFiles.length}`);
  const keyFile = path.join(custody.ca.keyDir, keyFiles[0] as string);
  const privateKey = readFileSync(keyFile, 'utf8');
  const publicKey = publicKeyOfPrivate(privateKey, keyFile);
  if (publicKey !== publicKeyOfCertificate(certificate)) {
    // whose key is it? the other counties' CA certificates are public
    for (const c of network.counties) {
      if (c.mspId === own.mspId) continue;
      let theirs: string | undefined;
      try {
        theirs = publicKeyOfCertificate(readFileSync(c.ca.cert, 'utf8'));
      } catch {
        theirs = undefined;
      }
      if (theirs === publicKey) {
        throw new Error(
          `${keyFile} is the CA private key of ${c.mspId}, not of ${own.mspId}: a county's gateway holds only its own county's keys; refusing to start`,
        );
      }
    }
    throw new Error(`${keyFile} is not the private key of ${own.mspId}'s CA certificate ${custody.ca.cert}; refusing to start`);
  }
  return { mspId: own.mspId, certificate, privateKey };
}

function publicKeyOfPrivate(pem: string, file: string): string {
  try {
    return createPublicKey(createPrivateKey(pem)).export({ format: 'pem', type: 'spki' }).toString();
  } catch (err) {
    throw new Error(`${file} is not a private key: ${(err as Error).message}`, { cause: err });
  }
}

function publicKeyOfCertificate(pem: string): string {
  return new X509Certificate(pem).publicKey.export({ format: 'pem', type: 'spki' }).toString();
}

function sameCertificate(a: string, b: string): boolean {
  return new X509Certificate(a).raw.equals(new X509Certificate(b).raw);
}
