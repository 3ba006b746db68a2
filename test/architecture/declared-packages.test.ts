import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { expect } from 'chai';
import { importsOf, REPO_ROOT, sourceFiles } from './source-imports';

/** The package a bare specifier loads (`fastify/types` → fastify, `@scope/pkg/x` → @scope/pkg); undefined for files and Node's own modules. */
function packageOf(specifier: string): string | undefined {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('node:')) return undefined;
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] as string);
  return builtinModules.includes(name) ? undefined : name;
}

/** Packages imported from the folders but declared in neither dependencies nor devDependencies: name → files. */
function undeclaredPackages(folders: readonly string[], declared: ReadonlySet<string>): Record<string, string[]> {
  const missing: Record<string, string[]> = {};
  for (const folder of folders) {
    for (const file of sourceFiles(folder)) {
      for (const name of importsOf(file).map(packageOf)) {
        if (name === undefined || declared.has(name)) continue;
        const where = path.relative(REPO_ROOT, file);
        missing[name] = [...new Set([...(missing[name] ?? []), where])];
      }
    }
  }
  return missing;
}

describe('every package the code imports is declared in package.json', () => {
  const manifest = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
    devDependencies?: Record<string, string>;
  };
  const declared = new Set([...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.devDependencies ?? {})]);

  it('reads specifiers as package names: scopes and subpaths, not files or Node built-ins', () => {
    expect(
      ['fastify', 'fabric-shim/lib/logger', '@fastify/rate-limit', '@hyperledger/fabric-protos-v3/x', './app', '../x', 'node:fs', 'fs', 'worker_threads'].map(
        packageOf,
      ),
    ).to.deep.equal(['fastify', 'fabric-shim', '@fastify/rate-limit', '@hyperledger/fabric-protos-v3', undefined, undefined, undefined, undefined, undefined]);
  });

  it('gateway-api/src, chaincode/src, scripts and test import only declared packages', () => {
    const folders = ['gateway-api/src', 'chaincode/src', 'scripts', 'test'];
    // The walk reaches every kind of file: TypeScript, and the scripts' .mjs and .js.
    const files = folders.flatMap((f) => sourceFiles(f));
    for (const ext of ['.ts', '.mjs', '.js'])
      expect(
        files.some((f) => f.endsWith(ext)),
        ext,
      ).to.equal(true);
    const undeclared = undeclaredPackages(folders, declared);
    expect(Object.keys(undeclared).sort(), `undeclared packages and where they are imported: ${JSON.stringify(undeclared, null, 2)}`).to.deep.equal([]);
  });

  it('would name an undeclared package and where it is imported', () => {
    const without = new Set([...declared].filter((name) => name !== 'prom-client'));
    expect(undeclaredPackages(['gateway-api/src'], without)['prom-client']).to.deep.equal(['gateway-api/src/plugins/metrics.ts']);
  });
});
