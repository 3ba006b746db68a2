import { readFileSync } from 'node:fs';

/**
 * What the gateway needs to know about the Fabric network: written by
 * scripts/network/up.sh to network/run/network.json from network/counties.json.
 */
export interface NetworkDescription {
  readonly channel: string;
  readonly counties: ReadonlyArray<{
    readonly key: string;
    readonly name: string;
    readonly division: string;
    readonly mspId: string;
    readonly peer: { readonly endpoint: string; readonly hostnameOverride: string; readonly tlsRootCert: string };
    readonly ca: { readonly cert: string; readonly keyDir: string };
  }>;
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
