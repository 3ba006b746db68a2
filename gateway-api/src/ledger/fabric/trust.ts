import { createHash, X509Certificate } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ChainTrust, TrustRoot } from '../../verify/bundle';
import { endorsementPolicyOf } from '../../verify/policy';
import { NetworkDescription } from './network-description';

/**
 * The roots of trust of a Fabric network, from the material each county published
 * (scripts/network/publish.mjs; the network description names the files): every county's CA
 * certificate (its peers, admins and members) and its ordering organisation's CA certificate (its
 * orderer, which signs blocks); the endorsement policy is a MAJORITY of the county organisations,
 * as the channel's Application/Endorsement policy says (scripts/network/render.mjs).
 */
export function fabricChainTrust(network: NetworkDescription): ChainTrust {
  // The counties first, then their ordering organisations, as the embedded ledger lists them.
  const roots: TrustRoot[] = network.counties.map((county) => rootOf(county.mspId, county.ca.cert));
  for (const county of network.counties) {
    if (county.orderer) roots.push(rootOf(county.orderer.mspId, county.orderer.ca?.cert ?? publishedOrdererCa(county.ca.cert, county.orderer.mspId)));
  }
  return { counties: roots, endorsementPolicy: endorsementPolicyOf(network.counties.map((c) => c.mspId)) };
}

function rootOf(mspId: string, file: string): TrustRoot {
  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`cannot read ${mspId}'s published CA certificate ${file}: ${(err as Error).message}`, { cause: err });
  }
  const cert = new X509Certificate(pem);
  return { mspId, caCertificate: cert.toString(), sha256: createHash('sha256').update(cert.raw).digest('hex') };
}

/** An older network description lacks the orderer's CA: it sits beside the county's, in orderer-msp/cacerts. */
function publishedOrdererCa(countyCaFile: string, mspId: string): string {
  const dir = path.join(path.dirname(countyCaFile), 'orderer-msp', 'cacerts');
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.pem'));
  } catch {
    files = [];
  }
  if (files.length !== 1) throw new Error(`expected one published CA certificate of ${mspId} in ${dir}, found ${files.length}`);
  return path.join(dir, files[0] as string);
}
