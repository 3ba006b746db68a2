import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { ClassicLevel } from 'classic-level';
import { writeFileAtomic } from '../auth/atomic-file';
import { BlockStore } from '../ledger/embedded/block-store';
import { rebuildState, RebuildReport } from '../ledger/embedded/state-rebuild';
import { isNewLedgerFolder } from '../ledger/embedded/store-integrity';
import { copyLevel } from './level-copy';

/**
 * Backups of an embedded-ledger gateway's data folder (DATA_DIR):
 *   ledger/                    the block store, copied from one LevelDB snapshot
 *   gateway/idempotency/, gateway/blacklist-query-trail/   the gateway's own databases, likewise
 *   gateway/blobs/             evidence files (content-addressed, immutable)
 *   wallet/, api-keys.json, subject-hmac.key   identities and keys
 *   backup.json                written last: what the backup holds, with each file's SHA-256
 * Order matters for consistency: the gateway's databases are copied before the ledger (an
 * idempotency answer or a trail anchor then never names a transaction the ledger copy lacks), the
 * evidence files after it (every anchored file is already stored).
 */
export const BACKUP_MANIFEST = 'backup.json';
export const BACKUP_FORMAT = 'county-ledger-backup/1';
const GATEWAY_DATABASES = ['idempotency', 'blacklist-query-trail'] as const;
const PLAIN_FILES = ['api-keys.json', 'subject-hmac.key'] as const;

export interface BackupManifest {
  readonly format: typeof BACKUP_FORMAT;
  readonly createdAt: string;
  readonly ledger: { readonly height: number; readonly lastHash: string; readonly entries: number };
  readonly files: ReadonlyArray<{ readonly path: string; readonly bytes: number; readonly sha256: string }>;
}

export type Progress = (step: string, done?: number) => void;

/** What a running gateway lends a backup: its open ledger store and databases (else they are opened from the folder). */
export interface LiveSources {
  readonly store?: Pick<BlockStore, 'snapshotTo'>;
  /** Copies the gateway's open databases into the folder given (the app's copyGatewayDatabases). */
  readonly copyGatewayDatabases?: (targetDir: string) => Promise<void>;
}

export async function takeBackup(dataDir: string, target: string, live: LiveSources = {}, progress: Progress = () => undefined): Promise<BackupManifest> {
  if (existsSync(target) && readdirSync(target).length > 0) throw new Error(`${target} is not empty: a backup goes into a new folder`);
  mkdirSync(path.join(target, 'gateway'), { recursive: true });

  if (live.copyGatewayDatabases) await live.copyGatewayDatabases(path.join(target, 'gateway'));
  else {
    for (const name of GATEWAY_DATABASES) {
      const from = path.join(dataDir, 'gateway', name);
      if (existsSync(path.join(from, 'CURRENT'))) await withLevel(from, (opened) => copyLevel(opened, path.join(target, 'gateway', name)));
    }
  }
  progress('gateway databases');

  const ledgerTarget = path.join(target, 'ledger');
  const onEntries = (n: number) => progress('ledger', n);
  let ledger: { height: number; lastHash: string; entries: number };
  if (live.store) ledger = await live.store.snapshotTo(ledgerTarget, onEntries);
  else {
    const store = await BlockStore.open(path.join(dataDir, 'ledger'));
    try {
      ledger = await store.snapshotTo(ledgerTarget, onEntries);
    } finally {
      await store.close();
    }
  }
  progress('ledger', ledger.entries);

  const copy = (relative: string) => {
    const from = path.join(dataDir, relative);
    if (!existsSync(from)) return;
    // Files are written under a temporary name (blobs/tmp/…, ….tmp) and renamed: a half-written one is left out.
    const temporary = (source: string) => source.endsWith('.tmp') || path.relative(from, source).split(path.sep)[0] === 'tmp';
    cpSync(from, path.join(target, relative), { recursive: true, filter: (source) => !temporary(source) });
    progress(relative);
  };
  copy(path.join('gateway', 'blobs'));
  copy('wallet');
  for (const file of PLAIN_FILES) copy(file);

  const manifest: BackupManifest = {
    format: BACKUP_FORMAT,
    createdAt: new Date().toISOString(),
    ledger,
    files: filesUnder(target).map((relative) => {
      const bytes = readFileSync(path.join(target, relative));
      return { path: relative, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
    }),
  };
  await writeFileAtomic(path.join(target, BACKUP_MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

export interface RestoreOptions {
  /** Rebuild world state and history from the restored blocks and compare them with the backed-up ones. */
  readonly rebuildState?: boolean;
  /** Move a non-empty data folder aside (to `<dataDir>.before-restore-<time>`) instead of refusing. */
  readonly force?: boolean;
}

export interface RestoreReport {
  readonly height: number;
  readonly movedAside?: string;
  readonly rebuild?: RebuildReport;
}

/** Restores a backup into `dataDir` (the gateway stopped), checks every file against the manifest and audits the restored chain. */
export async function restoreBackup(
  backupDir: string,
  dataDir: string,
  options: RestoreOptions = {},
  progress: Progress = () => undefined,
): Promise<RestoreReport> {
  const manifest = readManifest(backupDir);
  for (const file of manifest.files) {
    const bytes = readFileSync(path.join(backupDir, file.path));
    if (bytes.length !== file.bytes || createHash('sha256').update(bytes).digest('hex') !== file.sha256) {
      throw new Error(`${path.join(backupDir, file.path)} differs from the backup's manifest: the backup is damaged`);
    }
  }
  progress('checked', manifest.files.length);
  let movedAside: string | undefined;
  if (existsSync(dataDir) && readdirSync(dataDir).length > 0) {
    await refuseIfRunning(dataDir);
    if (!options.force) throw new Error(`${dataDir} is not empty: restore into an empty folder, or pass --force to move it aside first`);
    movedAside = `${dataDir}.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    renameSync(dataDir, movedAside);
  }
  mkdirSync(dataDir, { recursive: true });
  for (const entry of readdirSync(backupDir)) {
    if (entry !== BACKUP_MANIFEST) cpSync(path.join(backupDir, entry), path.join(dataDir, entry), { recursive: true });
  }
  progress('copied');
  const rebuild = options.rebuildState ? await rebuildInPlace(dataDir, progress) : undefined;
  const height = await auditFolder(path.join(dataDir, 'ledger'));
  if (height !== manifest.ledger.height) throw new Error(`the restored ledger has ${height} blocks, the backup recorded ${manifest.ledger.height}`);
  return { height, ...(movedAside ? { movedAside } : {}), ...(rebuild ? { rebuild } : {}) };
}

/**
 * Rebuilds `<dataDir>/ledger`'s world state, history and transaction index from its blocks (the
 * gateway stopped): the rebuilt store takes its place, the old one is kept beside it as
 * `ledger.before-rebuild-<time>`.
 */
export async function rebuildInPlace(dataDir: string, progress: Progress = () => undefined): Promise<RebuildReport> {
  const ledgerDir = path.join(dataDir, 'ledger');
  await refuseIfRunning(dataDir);
  const rebuiltDir = `${ledgerDir}.rebuilding`;
  rmSync(rebuiltDir, { recursive: true, force: true });
  const report = await rebuildState(ledgerDir, rebuiltDir, (blocks) => progress('rebuild', blocks));
  renameSync(ledgerDir, `${ledgerDir}.before-rebuild-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  renameSync(rebuiltDir, ledgerDir);
  return report;
}

/** Opens the ledger folder with the whole-chain audit; answers its height. */
export async function auditFolder(ledgerDir: string): Promise<number> {
  if (isNewLedgerFolder(ledgerDir)) throw new Error(`${ledgerDir} holds no ledger`);
  const store = await BlockStore.open(ledgerDir, { verifyOnStart: true });
  const height = store.height;
  await store.close();
  return height;
}

export function readManifest(backupDir: string): BackupManifest {
  const file = path.join(backupDir, BACKUP_MANIFEST);
  if (!existsSync(file)) throw new Error(`${backupDir} has no ${BACKUP_MANIFEST}: not a finished backup`);
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as BackupManifest;
  if (manifest.format !== BACKUP_FORMAT) throw new Error(`${file} is not a ${BACKUP_FORMAT} manifest`);
  return manifest;
}

/** LevelDB's lock tells whether a gateway holds the ledger open. */
async function refuseIfRunning(dataDir: string): Promise<void> {
  const ledgerDir = path.join(dataDir, 'ledger');
  if (!existsSync(path.join(ledgerDir, 'CURRENT'))) return;
  try {
    await withLevel(ledgerDir, async () => undefined);
  } catch (err) {
    if (/lock/i.test(String((err as { cause?: unknown }).cause ?? err))) throw new Error(`a gateway is running on ${dataDir}: stop it first`, { cause: err });
  }
}

async function withLevel<T>(dir: string, use: (db: ClassicLevel<string, Buffer>) => Promise<T>): Promise<T> {
  const db = new ClassicLevel<string, Buffer>(dir, { keyEncoding: 'utf8', valueEncoding: 'buffer', createIfMissing: false });
  await db.open();
  try {
    return await use(db);
  } finally {
    await db.close();
  }
}

function filesUnder(root: string, relative = ''): string[] {
  const out: string[] = [];
  for (const name of readdirSync(path.join(root, relative)).sort()) {
    const rel = path.join(relative, name);
    if (statSync(path.join(root, rel)).isDirectory()) out.push(...filesUnder(root, rel));
    else if (rel !== BACKUP_MANIFEST) out.push(rel);
  }
  return out;
}
