import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/** The repository root, seen from the compiled test (dist/test/architecture). */
export const REPO_ROOT = path.resolve(__dirname, '../../..');

const SOURCE_EXTENSIONS = ['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs'];

/** Source files below `dir` (relative to the repository root), as absolute paths; node_modules is skipped. */
export function sourceFiles(dir: string, extensions: readonly string[] = SOURCE_EXTENSIONS): string[] {
  const found: string[] = [];
  const walk = (at: string) => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const full = path.join(at, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules') walk(full);
      } else if (extensions.some((ext) => entry.name.endsWith(ext)) && !entry.name.endsWith('.d.ts')) found.push(full);
    }
  };
  walk(path.join(REPO_ROOT, dir));
  return found.sort();
}

/**
 * What a file imports, re-exports or requires, as written (`./x`, `fastify`, `node:fs`). TypeScript's own
 * pre-processor reads them, so comments and strings that merely look like imports are not counted.
 */
export function importsOf(file: string): string[] {
  return ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles.map((f) => f.fileName);
}
