#!/usr/bin/env node
// Copies what each county publishes from its own folder (<run>/counties/<key>/, its "machine") to
// <run>/public/<key>/: its CA and TLS CA certificates, the NodeOU configuration of its MSPs and its
// orderer's TLS certificate (the Raft consenter). The channel configuration (configtx.yaml) and every
// other county use only these copies. The list comes from render.mjs (<run>/config/publish.json);
// a file that holds a private key is refused, so no key can leave a county's folder this way.
// Usage: node scripts/network/publish.mjs   (env: NETWORK_RUN_DIR)
import { copyFileSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const RUN = resolve(process.env.NETWORK_RUN_DIR ?? join(ROOT, 'network', 'run'));

function copyPublic(from, to) {
  if (statSync(from).isDirectory()) {
    mkdirSync(to, { recursive: true });
    for (const f of readdirSync(from)) copyPublic(join(from, f), join(to, f));
    return;
  }
  const text = readFileSync(from, 'utf8');
  if (/PRIVATE KEY/.test(text) || /(_sk|\.key)$/.test(basename(from))) {
    console.error(`network: refusing to publish ${from}: it holds a private key`);
    process.exit(2);
  }
  mkdirSync(dirname(to), { recursive: true });
  copyFileSync(from, to);
}

for (const { county, files } of JSON.parse(readFileSync(join(RUN, 'config', 'publish.json'), 'utf8'))) {
  for (const [from, to] of files) copyPublic(from, to);
  console.log(`network: published ${county}'s certificates to ${join(RUN, 'public', county)}`);
}
