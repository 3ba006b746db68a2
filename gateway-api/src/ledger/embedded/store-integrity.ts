import { closeSync, existsSync, fstatSync, openSync, readdirSync, readFileSync, readSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * A ledger folder that must not be served: damaged, shortened or not a ledger at all. The message
 * names the file and what to do; the gateway refuses to start with it.
 */
export class DamagedLedgerError extends Error {
  readonly file: string;
  readonly remedy: string;

  constructor(dir: string, file: string, problem: string, remedy: string = RESTORE) {
    super(`the ledger in ${dir} is damaged: ${problem} (${file}). ${remedy}`);
    this.name = 'DamagedLedgerError';
    this.file = file;
    this.remedy = remedy;
  }
}

export const RESTORE = 'Stop the gateway and restore the latest backup (npm run restore -- <backup-dir>); see docs/operations.md.';
export const REBUILD =
  'The blocks are intact: rebuild the world state from them (npm run restore -- <backup-dir> --rebuild-state, or on this folder: npm run restore -- --rebuild-state), or restore the latest backup; see docs/operations.md.';

/** Written when damage is found that the next open could no longer see (LevelDB drops a damaged log for good once it has recovered). */
export const DAMAGED_MARKER = 'DAMAGED';

/** A folder the store may create a new ledger in: missing, or empty. */
export function isNewLedgerFolder(dir: string): boolean {
  return !existsSync(dir) || readdirSync(dir).length === 0;
}

/** Checks that cost nothing before LevelDB opens an existing folder (which would otherwise create an empty database over a lost CURRENT). */
export function preflightExistingFolder(dir: string): void {
  const marker = path.join(dir, DAMAGED_MARKER);
  if (existsSync(marker)) {
    throw new DamagedLedgerError(dir, marker, `found damaged earlier: ${readFileSync(marker, 'utf8').trim()}`);
  }
  const current = path.join(dir, 'CURRENT');
  if (!existsSync(current)) {
    throw new DamagedLedgerError(
      dir,
      current,
      'the folder is not empty but LevelDB’s CURRENT file is missing, so it cannot say which manifest holds the ledger',
    );
  }
  for (const name of readdirSync(dir)) {
    if (!name.endsWith('.ldb') && !name.endsWith('.sst')) continue;
    const problem = tableFooterProblem(path.join(dir, name));
    if (problem) throw new DamagedLedgerError(dir, path.join(dir, name), problem);
  }
}

// A LevelDB table ends in a 48-byte footer whose last 8 bytes are this magic number (little-endian).
const TABLE_MAGIC = Buffer.from('57fb808b247547db', 'hex');
const FOOTER_BYTES = 48;

function tableFooterProblem(file: string): string | undefined {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    if (size < FOOTER_BYTES) return `table file is ${size} bytes, shorter than its footer`;
    const tail = Buffer.alloc(8);
    readSync(fd, tail, 0, 8, size - 8);
    return tail.equals(TABLE_MAGIC) ? undefined : 'table file does not end in a LevelDB footer (truncated or overwritten)';
  } finally {
    closeSync(fd);
  }
}

/** LevelDB's own account of data it discarded while opening (its LOG is rotated at each open, so this is the last open's). */
export function droppedOnOpen(dir: string): string[] {
  const log = path.join(dir, 'LOG');
  if (!existsSync(log)) return [];
  return readFileSync(log, 'utf8')
    .split('\n')
    .filter((line) => /dropping \d+ bytes|Corruption/.test(line));
}

export function markDamaged(dir: string, problem: string): void {
  writeFileSync(path.join(dir, DAMAGED_MARKER), `${new Date().toISOString()} ${problem}\n`);
}

/** The file a LevelDB error message names, else the folder. */
export function fileNamedBy(message: string, dir: string): string {
  const match = /(\/[^\s:]+\.(?:ldb|sst|log)|\/[^\s:]*MANIFEST-\d+|\/[^\s:]*CURRENT)/.exec(message);
  return match?.[1] ?? dir;
}
