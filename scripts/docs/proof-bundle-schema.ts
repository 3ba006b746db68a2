/** Writes docs/proof-bundle.schema.json from the bundle's zod schema (gateway-api/src/verify/bundle.ts): npm run docs:proof-schema. */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import * as prettier from 'prettier';
import { proofBundleJsonSchema } from '../../gateway-api/src/verify/bundle';

async function main(): Promise<void> {
  const file = path.join(__dirname, '../../../docs/proof-bundle.schema.json');
  const options = (await prettier.resolveConfig(file)) ?? {};
  writeFileSync(file, await prettier.format(JSON.stringify(proofBundleJsonSchema()), { ...options, parser: 'json' }));
  process.stdout.write(`wrote ${file}\n`);
}

void main();
