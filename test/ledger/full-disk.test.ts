import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statfsSync, unlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { contracts } from '../../chaincode/src/index';
import { EmbeddedLedger } from '../../gateway-api/src/ledger/embedded/embedded-ledger';
import { LedgerError } from '../../gateway-api/src/ledger/errors';
import { LedgerIdentity } from '../../gateway-api/src/ledger/ledger';
import { json, LedgerFixture, LIANGDANG, openLedgerFixture } from '../support/ledger-fixture';
import { probe } from '../support/probe';
import { ProbeContract } from '../support/probe-contract';

const TMPFS_BYTES = 16 * 1024 * 1024;

/** Mounts a small tmpfs (needs root, as CI runs); answers its path, or undefined when mounting is not allowed here. */
function mountTmpfs(): string | undefined {
  const where = mkdtempSync(path.join(os.tmpdir(), 'cl-full-disk-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${TMPFS_BYTES}`, 'tmpfs', where], { stdio: 'pipe' });
    return where;
  } catch {
    rmSync(where, { recursive: true, force: true });
    return undefined;
  }
}

function unmount(where: string): void {
  execFileSync('umount', ['-l', where], { stdio: 'pipe' });
  rmSync(where, { recursive: true, force: true });
}

const freeBytes = (where: string) => {
  const s = statfsSync(where);
  return s.bavail * s.bsize;
};

// A ledger on a disk that fills up under load: every acknowledged transaction survives a restart at
// the block it was acknowledged in, nothing is acknowledged while the store cannot write, the failed
// and queued ones are refused with the cause, and after space is freed the ledger recovers by itself.
describe('embedded ledger: a full disk (fail-stop)', function () {
  this.timeout(120_000);
  let disk: string | undefined;
  let f: LedgerFixture;
  let writer: LedgerIdentity;
  let ledger: EmbeddedLedger | undefined;
  const warnings: string[] = [];

  before(function () {
    disk = mountTmpfs();
    if (!disk) this.skip();
  });
  after(() => {
    if (disk) unmount(disk);
  });
  beforeEach(async () => {
    f = await openLedgerFixture();
    writer = await f.identity(LIANGDANG, 'full-disk-writer');
  });
  afterEach(async () => {
    await ledger?.close();
    await f.cleanup();
  });

  const open = async (dataDir: string) =>
    EmbeddedLedger.open({
      dataDir,
      contracts: [...contracts, ProbeContract],
      trustedCas: f.wallet.trustedCas(),
      endorsers: f.wallet.endorsers(),
      ordering: await f.wallet.ordering(),
      recoveryDelayMs: 50,
      onWarning: (m) => warnings.push(m),
    });

  it('keeps every acknowledged transaction, reuses no block number, and recovers once space is freed', async () => {
    const dataDir = path.join(disk as string, 'ledger');
    ledger = await open(dataDir);
    const acked = new Map<string, { key: string; value: string; block: number }>();
    const refusals: string[] = [];
    let n = 0;
    const put = async (): Promise<void> => {
      const key = `k${n++}`;
      const value = `${key}-${'v'.repeat(3000)}`;
      try {
        const r = await (ledger as EmbeddedLedger).submit(writer, probe('Put', key, value));
        acked.set(r.txId, { key, value, block: r.blockNumber });
      } catch (err) {
        if (!(err instanceof LedgerError) || err.code !== 'UNAVAILABLE') throw err;
        refusals.push(err.message);
      }
    };
    const load = async (rounds: number) => {
      for (let i = 0; i < rounds; i++) await Promise.all(Array.from({ length: 8 }, put));
    };

    await load(5);
    const before = acked.size;
    expect(refusals).to.deep.equal([]);

    // Leave about 400 KiB, then keep writing until the store fails.
    const filler = path.join(disk as string, 'filler');
    writeFileSync(filler, Buffer.alloc(Math.max(0, freeBytes(disk as string) - 400 * 1024)));
    for (let i = 0; i < 200 && refusals.length === 0; i++) await load(1);
    expect(refusals.length, 'the full disk refused nothing').to.be.greaterThan(0);
    expect(refusals[0]).to.match(/stopped acknowledging transactions: a block could not be written \(.*(space|IO error)/i);
    // While stopped, nothing is acknowledged and the reason is given.
    const stoppedAt = acked.size;
    await load(2);
    expect(acked.size, 'acknowledged while stopped').to.equal(stoppedAt);
    let heightError: unknown;
    try {
      await ledger.height();
    } catch (err) {
      heightError = err;
    }
    expect(heightError).to.be.instanceOf(LedgerError).with.property('code', 'UNAVAILABLE');

    // Space freed: the store is reopened, checked and acknowledges again.
    unlinkSync(filler);
    const deadline = Date.now() + 30_000;
    for (;;) {
      try {
        await ledger.height();
        break;
      } catch (err) {
        if (Date.now() > deadline) throw err;
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    expect(warnings.join('\n')).to.match(/reopened and found whole/);
    const refusedBefore = refusals.length;
    await load(5);
    expect(refusals.length, 'refused after recovery').to.equal(refusedBefore);
    expect(acked.size).to.be.greaterThan(stoppedAt);
    expect(before).to.be.greaterThan(0);

    // After a restart every acknowledged transaction is there, in the block it was acknowledged in.
    await ledger.close();
    ledger = await open(dataDir);
    const reader = await f.identity(LIANGDANG, 'full-disk-reader');
    const blocksSeen = new Map<number, number>();
    for (const [txId, ack] of acked) {
      const info = await ledger.getTransaction(txId);
      expect(info, `acknowledged ${txId} is missing`).to.not.equal(undefined);
      expect(info?.validationCode).to.equal('VALID');
      expect(info?.blockNumber, `block of ${txId}`).to.equal(ack.block);
      expect(json(await ledger.evaluate(reader, probe('Get', ack.key))).value).to.equal(ack.value);
      blocksSeen.set(ack.block, (blocksSeen.get(ack.block) ?? 0) + 1);
    }
    const verification = await ledger.verifyChain();
    expect(verification.ok, verification.problem).to.equal(true);
    expect(Math.max(...blocksSeen.keys())).to.be.below(verification.height);
  });
});
