import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { contracts } from '../../chaincode/src/index';
import { EmbeddedLedger } from '../../gateway-api/src/ledger/embedded/embedded-ledger';
import { CHAIN_HEAD_FILE } from '../../gateway-api/src/ledger/embedded/chain-head';
import { DAMAGED_MARKER, DamagedLedgerError } from '../../gateway-api/src/ledger/embedded/store-integrity';
import { LedgerIdentity } from '../../gateway-api/src/ledger/ledger';
import { LedgerFixture, LIANGDANG, openLedgerFixture } from '../support/ledger-fixture';
import { probe } from '../support/probe';
import { ProbeContract } from '../support/probe-contract';

// Each damage the issue lists, made to a closed ledger folder: the ledger refuses to open it with a
// message naming the file and what to do, and never serves an empty or shortened ledger.
describe('embedded ledger: integrity at start', function () {
  this.timeout(30_000);
  let f: LedgerFixture;
  let writer: LedgerIdentity;
  let dir: string;
  const warnings: string[] = [];

  const open = async (options: { verifyOnStart?: boolean } = {}) =>
    EmbeddedLedger.open({
      dataDir: dir,
      contracts: [...contracts, ProbeContract],
      trustedCas: f.wallet.trustedCas(),
      endorsers: f.wallet.endorsers(),
      ordering: await f.wallet.ordering(),
      onWarning: (m) => warnings.push(m),
      ...options,
    });

  /** Opens the folder expecting a refusal; answers the error. */
  async function refused(options: { verifyOnStart?: boolean } = {}): Promise<DamagedLedgerError> {
    let caught: unknown;
    try {
      const ledger = await open(options);
      await ledger.close();
    } catch (err) {
      caught = err;
    }
    expect(caught, 'the damaged ledger opened').to.be.instanceOf(DamagedLedgerError);
    return caught as DamagedLedgerError;
  }

  /** A ledger of `blocks` one-transaction blocks, closed; answers their transaction IDs. */
  async function ledgerOf(blocks: number): Promise<string[]> {
    const ledger = await open();
    const txIds: string[] = [];
    for (let i = 0; i < blocks; i++) txIds.push((await ledger.submit(writer, probe('Put', `k${i}`, `value-${i}-${'x'.repeat(200)}`))).txId);
    await ledger.close();
    return txIds;
  }

  const logFile = () => path.join(dir, readdirSync(dir).find((n) => n.endsWith('.log')) as string);

  beforeEach(async () => {
    f = await openLedgerFixture();
    writer = await f.identity(LIANGDANG, 'integrity-writer');
    dir = path.join(f.dir, 'checked-ledger');
    warnings.length = 0;
  });
  afterEach(async () => f.cleanup());

  it('opens a whole ledger again, and records the acknowledged head beside it', async () => {
    await ledgerOf(5);
    expect(existsSync(path.join(dir, CHAIN_HEAD_FILE))).to.equal(true);
    const ledger = await open({ verifyOnStart: true });
    try {
      expect(await ledger.height()).to.equal(5);
      expect((await ledger.submit(writer, probe('Put', 'after', 'ok'))).blockNumber).to.equal(5);
    } finally {
      await ledger.close();
    }
    expect(warnings).to.deep.equal([]);
  });

  it('a truncated write-ahead log: the lost blocks are named, nothing is served', async () => {
    await ledgerOf(20);
    const log = logFile();
    truncateSync(log, statSync(log).size - 1500);
    const err = await refused();
    expect(err.file).to.equal(path.join(dir, CHAIN_HEAD_FILE));
    expect(err.message).to.match(/blocks 1\d–19 were acknowledged but the store ends at height 1\d/);
    expect(err.message).to.match(/restore the latest backup \(npm run restore/);
  });

  it('corruption in the middle of the log: refused, and still refused at the next start (LevelDB has dropped the record for good)', async () => {
    await ledgerOf(30);
    const log = logFile();
    const bytes = readFileSync(log);
    const middle = Math.floor(bytes.length / 2);
    bytes[middle] = (bytes[middle] as number) ^ 0xff;
    writeFileSync(log, bytes);
    const first = await refused();
    expect(first.message).to.match(/block \d+: block is missing .*LevelDB: .*dropping \d+ bytes; Corruption/);
    expect(existsSync(path.join(dir, DAMAGED_MARKER))).to.equal(true);
    const second = await refused();
    expect(second.file).to.equal(path.join(dir, DAMAGED_MARKER));
    expect(second.message).to.match(/found damaged earlier/);
  });

  it('a missing CURRENT file: refused without creating an empty database over the old files', async () => {
    await ledgerOf(3);
    unlinkSync(path.join(dir, 'CURRENT'));
    const before = readdirSync(dir).sort();
    const err = await refused();
    expect(err.file).to.equal(path.join(dir, 'CURRENT'));
    expect(err.message).to.match(/CURRENT file is missing/);
    expect(readdirSync(dir).sort()).to.deep.equal(before);
  });

  it('a truncated table file: refused naming the .ldb file', async () => {
    await ledgerOf(10);
    // Opening again turns the log into a level-0 table.
    await (await open()).close();
    const table = readdirSync(dir).find((n) => n.endsWith('.ldb'));
    expect(table, 'a table file').to.be.a('string');
    const file = path.join(dir, table as string);
    truncateSync(file, Math.floor(statSync(file).size / 2));
    const err = await refused();
    expect(err.file).to.equal(file);
    expect(err.message).to.match(/does not end in a LevelDB footer/);
  });

  it('a folder that holds something other than a ledger is not made into one', async () => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'notes.txt'), 'not a ledger');
    await refused();
    expect(readdirSync(dir)).to.deep.equal(['notes.txt']);
  });

  it('the gateway refuses to start on a damaged folder: exit status 1 and the message on stderr', async () => {
    const dataDir = path.join(f.dir, 'gateway-data');
    mkdirSync(path.join(dataDir, 'ledger'), { recursive: true });
    writeFileSync(path.join(dataDir, 'ledger', 'notes.txt'), 'not a ledger');
    const main = path.join(__dirname, '..', '..', 'gateway-api', 'src', 'main.js');
    const outcome = spawnSync(process.execPath, [main, '--data-dir', dataDir, '--port', '0', '--no-demo'], { encoding: 'utf8', timeout: 60_000 });
    expect(outcome.status).to.equal(1);
    expect(outcome.stderr).to.match(/county-ledger: the ledger in .*gateway-data\/ledger is damaged: .*CURRENT file is missing/);
    expect(outcome.stderr).to.match(/restore the latest backup/);
    expect(outcome.stdout).to.not.match(/County Ledger API on/);
  });

  it('a block changed in the middle of the chain: the head checks pass, --verify-on-start refuses it', async () => {
    await ledgerOf(6);
    const ledger = await open();
    const bytes = (await ledger.store.getBlockBytes(2)) as Buffer;
    await ledger.store.tamperWithBlockForTest(2, Buffer.from(bytes.toString('utf8').replace('value-2', 'VALUE-2')));
    await ledger.close();
    const err = await refused({ verifyOnStart: true });
    expect(err.message).to.match(/block 2: data hash does not match/);
  });

  it('the head record lost (an older folder): recorded again from the store, with a warning', async () => {
    await ledgerOf(4);
    unlinkSync(path.join(dir, CHAIN_HEAD_FILE));
    const ledger = await open();
    for (let i = 0; i < 5; i++) await ledger.submit(writer, probe('Put', `later${i}`, 'x'.repeat(300)));
    await ledger.close();
    expect(warnings.join('\n')).to.match(/CHAIN-HEAD was missing: recorded from the store \(height 4\)/);
    // The record made from the store guards it from then on: losing the later blocks is refused.
    truncateSync(logFile(), 0);
    expect((await refused()).message).to.match(/blocks 4–8 were acknowledged/);
  });
});
