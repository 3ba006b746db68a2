import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * What the gateway needs to know about the Fabric network: written by
 * scripts/network/up.sh to network/run/network.json from network/counties.json. Public facts only
 * (endpoints, TLS roots, CA certificates): no county's private key path.
 */
export interface NetworkDescription {
  readonly channel: string;
  /** loopback: every node on the addresses of counties.json; hosts: one network namespace per county (up.sh --hosts). */
  readonly layout?: 'loopback' | 'hosts';
  readonly counties: ReadonlyArray<{
    readonly key: string;
    readonly name: string;
    readonly division: string;
    readonly mspId: string;
    readonly peer: { readonly endpoint: string; readonly hostnameOverride: string; readonly tlsRootCert: string };
    readonly ca: { readonly cert: string };
    /** The county's ordering organisation; `ca.cert` its CA certificate (older descriptions lack it: see fabric/trust.ts). */
    readonly orderer?: { readonly mspId: string; readonly ca?: { readonly cert: string } };
    /** Hosts layout: the county's host address, its network namespace and the root-side name of its veth link. */
    readonly address?: string;
    readonly netns?: string;
    readonly hostLink?: string;
  }>;
}

/**
 * A county's own facts, in its own folder (`<dir of network.json>/counties/<key>/county.json`):
 * where its CA's certificate and key are. Only that county's gateway reads it.
 */
export interface CountyCustody {
  readonly key: string;
  readonly mspId: string;
  readonly ca: { readonly cert: string; readonly keyDir: string };
}

export function loadNetworkDescription(file: string): NetworkDescription {
  let parsed: NetworkDescription;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8')) as NetworkDescription;
  } catch (err) {
    throw new Error(`cannot read the Fabric network description ${file} (run npm run network:up first): ${(err as Error).message}`, { cause: err });
  }
  if (!parsed.channel || !Array.isArray(parsed.counties) || parsed.counties.length === 0) {
    throw new Error(`${file} does not describe a channel and its counties`);
  }
  return parsed;
}

/** The file with a county's own facts, next to the network description. */
export function custodyFileOf(networkFile: string, countyKey: string): string {
  return path.join(path.dirname(path.resolve(networkFile)), 'counties', countyKey, 'county.json');
}

export function loadCountyCustody(file: string, mspId: string): CountyCustody {
  let parsed: CountyCustody;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8')) as CountyCustody;
  } catch (err) {
    throw new Error(`cannot read ${mspId}'s own facts ${file} (run npm run network:up first): ${(err as Error).message}`, { cause: err });
  }
  if (parsed.mspId !== mspId || !parsed.ca?.cert || !parsed.ca.keyDir) {
    throw new Error(`${file} does not describe ${mspId}'s own CA (it names ${String(parsed.mspId)})`);
  }
  return parsed;
}
