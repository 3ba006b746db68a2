// After `vite build`: the console's bundle size, raw and gzip-compressed, per file and in all (the README quotes it).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/console');
const files = [];
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) walk(full);
    else files.push(full);
  }
};
walk(root);
let raw = 0;
let gz = 0;
const rows = files
  .filter((f) => /\.(js|css|html|wasm)$/.test(f))
  .map((f) => {
    const bytes = readFileSync(f);
    const zipped = gzipSync(bytes, { level: 9 }).length;
    raw += bytes.length;
    gz += zipped;
    return { file: path.relative(root, f), raw: bytes.length, gz: zipped };
  })
  .sort((a, b) => b.raw - a.raw);
const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
if (process.env.CONSOLE_BUNDLE_DETAIL) for (const r of rows) console.log(`  ${r.file.padEnd(48)} ${kib(r.raw).padStart(11)} ${kib(r.gz).padStart(11)} gzip`);
console.log(`web console: ${rows.length} files, ${kib(raw)} (${kib(gz)} gzip) in dist/console`);
