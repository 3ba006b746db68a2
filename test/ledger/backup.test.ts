import { expect } from 'chai';
import { ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { ClassicLevel } from 'classic-level';
import { contracts } from '../../chaincode/src/index';
import { BACKUP_MANIFEST, rebuildInPlace, restoreBackup, takeBackup } from '../../gateway-api/src/backup/backup';
import { EmbeddedLedger } from '../../gateway-api/src/ledger/embedded/embedded-ledger';
import { encodeVersioned } from '../../gateway-api/src/ledger/embedded/versions';
import { LedgerIdentity } from '../../gateway-api/src/ledger/ledger';
import { json, LedgerFixture, LIANGDANG, openLedgerFixture } from '../support/ledger-fixture';
import { probe } from '../support/probe';
import { ProbeContract } from '../support/probe-contract';

const run = promisify(execFile);
const ROOT = path.join(__dirname, '..', '..');
const CLI = path.join(ROOT, 'gateway-api', 'src', 'backup', 'cli.js');
const MAIN = path.join(ROOT, 'gateway-api', 'src', 'main.js');

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  return expect.fail('expected a refusal');
}

describe('embedded ledger: backup and restore', function () {
  this.timeout(60_000);
  let f: LedgerFixture;
  let writer: LedgerIdentity;
  let dataDir: string;
  let ledger: EmbeddedLedger | undefined;

  const open = async (dir: string) =>
    EmbeddedLedger.open({
      dataDir: path.join(dir, 'ledger'),
      contracts: [...contracts, ProbeContract],
      trustedCas: f.wallet.trustedCas(),
      endorsers: f.wallet.endorsers(),
      ordering: await f.wallet.ordering(),
      onWarning: () => undefined,
    });

  beforeEach(async () => {
    f = await openLedgerFixture();
    writer = await f.identity(LIANGDANG, 'backup-writer');
    dataDir = path.join(f.dir, 'data');
    mkdirSync(path.join(dataDir, 'gateway', 'blobs', 'ab'), { recursive: true });
    writeFileSync(path.join(dataDir, 'gateway', 'blobs', 'ab', 'ab01'), 'an evidence file');
    mkdirSync(path.join(dataDir, 'gateway', 'blobs', 'tmp'), { recursive: true });
    writeFileSync(path.join(dataDir, 'gateway', 'blobs', 'tmp', 'half-written'), 'part');
    writeFileSync(path.join(dataDir, 'api-keys.json'), '{"keys":[]}\n');
    ledger = await open(dataDir);
  });
  afterEach(async () => {
    await ledger?.close();
    ledger = undefined;
    await f.cleanup();
  });

  it('a backup taken while the ledger keeps committing restores to one consistent block, with the files beside it', async () => {
    const live = ledger as EmbeddedLedger;
    const before: string[] = [];
    for (let i = 0; i < 30; i++) before.push((await live.submit(writer, probe('Put', `before${i}`, `v${i}`))).txId);
    let writing = true;
    let during = 0;
    const writes = (async () => {
      while (writing) {
        await live.submit(writer, probe('Put', `during${during}`, 'x'.repeat(500)));
        during++;
      }
    })();
    const target = path.join(f.dir, 'backup');
    const manifest = await takeBackup(dataDir, target, { store: live.store });
    writing = false;
    await writes;
    expect(during, 'writes went on during the backup').to.be.greaterThan(0);
    expect(manifest.ledger.height).to.be.at.least(30);
    expect(manifest.files.map((x) => x.path)).to.include.members([path.join('gateway', 'blobs', 'ab', 'ab01'), 'api-keys.json']);
    expect(
      manifest.files.some((x) => x.path.includes(`blobs${path.sep}tmp`)),
      'half-written files left out',
    ).to.equal(false);

    const restored = path.join(f.dir, 'restored');
    const report = await restoreBackup(target, restored, { rebuildState: true });
    expect(report.height).to.equal(manifest.ledger.height);
    expect(report.rebuild?.differenceCount, report.rebuild?.differences?.join('\n')).to.equal(0);
    expect(readFileSync(path.join(restored, 'gateway', 'blobs', 'ab', 'ab01'), 'utf8')).to.equal('an evidence file');

    const back = await open(restored);
    try {
      expect(await back.height()).to.equal(manifest.ledger.height);
      for (const txId of before) expect((await back.getTransaction(txId))?.validationCode).to.equal('VALID');
      expect(json(await back.evaluate(writer, probe('Get', 'before7'))).value).to.equal('v7');
      // The restored ledger carries on from its head.
      expect((await back.submit(writer, probe('Put', 'after-restore', 'ok'))).blockNumber).to.equal(manifest.ledger.height);
    } finally {
      await back.close();
    }
  });

  it('refuses a target that is not empty, a damaged backup, a non-empty data folder, and a folder a ledger holds open', async () => {
    const target = path.join(f.dir, 'backup');
    await (ledger as EmbeddedLedger).submit(writer, probe('Put', 'k', 'v'));
    await takeBackup(dataDir, target, { store: (ledger as EmbeddedLedger).store });
    expect((await rejection(takeBackup(dataDir, target, { store: (ledger as EmbeddedLedger).store }))).message).to.match(
      /is not empty: a backup goes into a new folder/,
    );

    expect((await rejection(restoreBackup(target, dataDir))).message).to.match(/a gateway is running on .*: stop it first/);
    await (ledger as EmbeddedLedger).close();
    ledger = undefined;
    expect((await rejection(restoreBackup(target, dataDir))).message).to.match(/is not empty: restore into an empty folder, or pass --force/);
    const forced = await restoreBackup(target, dataDir, { force: true });
    expect(forced.movedAside).to.match(/data\.before-restore-/);
    expect(existsSync(path.join(forced.movedAside as string, 'ledger'))).to.equal(true);

    const keys = path.join(target, 'api-keys.json');
    writeFileSync(keys, '{"keys":["forged"]}\n');
    expect((await rejection(restoreBackup(target, path.join(f.dir, 'elsewhere')))).message).to.match(/api-keys\.json differs from the backup's manifest/);
    writeFileSync(path.join(target, BACKUP_MANIFEST), '{}');
    expect((await rejection(restoreBackup(target, path.join(f.dir, 'elsewhere2')))).message).to.match(/not a county-ledger-backup\/1 manifest/);
  });

  it('--rebuild-state rebuilds the world state from the blocks and names where the stored one differed', async () => {
    const live = ledger as EmbeddedLedger;
    for (let i = 0; i < 10; i++) await live.submit(writer, probe('Put', `k${i}`, `v${i}`));
    await live.submit(writer, probe('Delete', 'k3'));
    await live.close();
    ledger = undefined;
    // Damage the stored state behind the ledger's back: one value changed, one deleted key back.
    const raw = new ClassicLevel<string, Buffer>(path.join(dataDir, 'ledger'), { keyEncoding: 'utf8', valueEncoding: 'buffer', createIfMissing: false });
    await raw.open();
    const state = raw.sublevel<string, Buffer>('state', { keyEncoding: 'utf8', valueEncoding: 'buffer' });
    const key = (await state.keys().all()).find((k) => k.includes('k5')) as string;
    await state.put(key, encodeVersioned({ block: 1, tx: 0 }, Buffer.from('"forged"')));
    await state.put(key.replace('k5', 'k3'), encodeVersioned({ block: 1, tx: 0 }, Buffer.from('"revived"')));
    await raw.close();

    const report = await rebuildInPlace(dataDir);
    expect(report.differenceCount).to.equal(2);
    expect(report.differences?.join('\n')).to.match(/state .*k3.*: stored but not written by any block/);
    expect(report.differences?.join('\n')).to.match(/state .*k5.*: stored 8 bytes at 1:0, blocks say/);
    ledger = await open(dataDir);
    expect(json(await ledger.evaluate(writer, probe('Get', 'k5'))).value).to.equal('v5');
    expect(json(await ledger.evaluate(writer, probe('Get', 'k3'))).value).to.equal(null);
  });

  it('npm run backup asks the running gateway over its control socket; restore brings it back (the CLI, end to end)', async function () {
    this.timeout(120_000);
    await (ledger as EmbeddedLedger).close();
    ledger = undefined;
    const gatewayDir = path.join(f.dir, 'gateway-data');
    const gateway: ChildProcess = spawn(process.execPath, [MAIN, '--data-dir', gatewayDir, '--port', '0', '--log-level', 'silent'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('the gateway did not start')), 90_000);
        createInterface({ input: gateway.stdout as NodeJS.ReadableStream }).on('line', (line) => {
          if (line.startsWith('County Ledger API on')) {
            clearTimeout(timer);
            resolve();
          }
        });
        gateway.once('exit', (code) => reject(new Error(`the gateway exited with ${code}`)));
      });
      const target = path.join(f.dir, 'cli-backup');
      const backup = await run(process.execPath, [CLI, 'backup', target, '--data-dir', gatewayDir]);
      expect(backup.stdout).to.match(/backup of height \d+ \(\d+ files\) taken by the running gateway/);
      const manifest = JSON.parse(readFileSync(path.join(target, BACKUP_MANIFEST), 'utf8')) as { ledger: { height: number }; files: Array<{ path: string }> };
      expect(manifest.ledger.height, 'the demo seed made blocks').to.be.greaterThan(5);
      expect(manifest.files.map((x) => x.path)).to.include.members([
        'api-keys.json',
        path.join('gateway', 'idempotency', 'CURRENT'),
        path.join('gateway', 'blacklist-query-trail', 'CURRENT'),
      ]);

      const restored = path.join(f.dir, 'cli-restored');
      const restore = await run(process.execPath, [CLI, 'restore', target, '--data-dir', restored, '--rebuild-state']);
      expect(restore.stdout).to.match(/the stored state and history equal the rebuilt ones/);
      expect(restore.stdout).to.match(new RegExp(`restored and audited: height ${manifest.ledger.height}`));
    } finally {
      gateway.kill('SIGTERM');
      await new Promise((resolve) => (gateway.exitCode !== null ? resolve(undefined) : gateway.once('exit', resolve)));
    }
  });
});
