/**
 * npm run backup -- <dir> [--data-dir D]
 *   A consistent backup of the embedded ledger gateway on D (default DATA_DIR, ./data). With the
 *   gateway running it is taken by the gateway itself over its control socket, while it serves
 *   writes; with it stopped, from the folder.
 * npm run restore -- <dir> [--data-dir D] [--rebuild-state] [--force]
 *   Restores a backup into D (the gateway stopped), checks it file by file and audits the chain;
 *   --rebuild-state also rebuilds world state and history from the blocks and compares them.
 * npm run restore -- --rebuild-state [--data-dir D]
 *   Rebuilds D's world state and history from its own blocks, keeping the old store beside it.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config';
import { rebuildInPlace, restoreBackup, takeBackup } from './backup';
import { requestBackup } from './control-socket';

const say = (line: string) => process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
  const [command, ...rest] = process.argv.slice(2);
  const { values, positionals } = parseArgs({
    args: rest,
    options: { 'data-dir': { type: 'string' }, 'rebuild-state': { type: 'boolean' }, force: { type: 'boolean' } },
    allowPositionals: true,
    strict: true,
  });
  const dataDir = path.resolve(values['data-dir'] ?? loadConfig([]).dataDir);
  const started = Date.now();
  const seconds = () => ((Date.now() - started) / 1000).toFixed(1);
  let lastProgress = 0;
  const progress = (step: string, done?: number) => {
    const now = Date.now();
    if (done !== undefined && now - lastProgress < 1000) return;
    lastProgress = now;
    say(`  ${step}${done !== undefined ? ` ${done}` : ''} (${seconds()} s)`);
  };

  if (command === 'backup') {
    const target = positionals[0];
    if (!target || positionals.length > 1) throw new Error('usage: npm run backup -- <dir> [--data-dir D]');
    const dir = path.resolve(target);
    say(`backing up ${dataDir} into ${dir}`);
    const online = await requestBackup(dataDir, dir, (m) => progress(m.progress, m.done));
    const manifest = online ?? (await takeBackup(dataDir, dir, {}, progress));
    say(
      `backup of height ${manifest.ledger.height} (${manifest.files.length} files) ${online ? 'taken by the running gateway' : 'taken from the stopped folder'} in ${seconds()} s`,
    );
    return;
  }
  if (command === 'restore') {
    if (positionals.length === 0 && values['rebuild-state']) {
      say(`rebuilding the world state of ${dataDir} from its blocks`);
      const report = await rebuildInPlace(dataDir, progress);
      say(`rebuilt ${report.height} blocks, ${report.stateKeys} state keys in ${seconds()} s; ${differencesLine(report.differenceCount, report.differences)}`);
      return;
    }
    const source = positionals[0];
    if (!source || positionals.length > 1) throw new Error('usage: npm run restore -- <dir> [--data-dir D] [--rebuild-state] [--force]');
    say(`restoring ${path.resolve(source)} into ${dataDir}`);
    const report = await restoreBackup(
      path.resolve(source),
      dataDir,
      { rebuildState: values['rebuild-state'] === true, force: values.force === true },
      progress,
    );
    if (report.movedAside) say(`  the previous folder is kept as ${report.movedAside}`);
    if (report.rebuild) say(`  rebuilt from the blocks: ${differencesLine(report.rebuild.differenceCount, report.rebuild.differences)}`);
    say(`restored and audited: height ${report.height}, in ${seconds()} s`);
    return;
  }
  throw new Error('usage: cli.js backup <dir> | restore <dir> [--rebuild-state] [--force] | restore --rebuild-state');
}

function differencesLine(count: number | undefined, differences: readonly string[] | undefined): string {
  if (count === undefined) return 'the stored state could not be read to compare';
  if (count === 0) return 'the stored state and history equal the rebuilt ones';
  return `${count} differences from the stored state:\n    ${(differences ?? []).join('\n    ')}`;
}

main().catch((err: unknown) => {
  process.stderr.write(`county-ledger: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
