import { expect } from 'chai';
import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { EmbeddedLedger } from '../../gateway-api/src/ledger/embedded/embedded-ledger';
import { json, LIANGDANG, openLedgerFixture, sharedWalletDir, LedgerFixture } from '../support/ledger-fixture';
import { probe } from '../support/probe';
import { contracts } from '../../chaincode/src/index';
import { ProbeContract } from '../support/probe-contract';

const CHILD = path.join(__dirname, '..', 'support', 'durability-child.js');

interface Ack {
  readonly txId: string;
  readonly key: string;
  readonly value: string;
}

/** Runs the child until it has acknowledged `acks` transactions, then kills it with SIGKILL. */
function runAndKill(ledgerDir: string, walletDir: string, member: string, acks: number): Promise<{ acked: Ack[]; signal: string | null }> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(process.execPath, [CHILD, ledgerDir, walletDir, member, '24'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const acked: Ack[] = [];
    let stderr = '';
    let killed = false;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the child acknowledged only ${acked.length} transactions in time; stderr: ${stderr}`));
    }, 20_000);
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      if (line === 'ready' || killed) return;
      const [txId, key, value] = line.split(' ');
      if (!txId || !key || !value) return;
      acked.push({ txId, key, value });
      if (acked.length >= acks) {
        killed = true;
        child.kill('SIGKILL');
      }
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (!killed) reject(new Error(`the child exited by itself (code ${code}); stderr: ${stderr}`));
      else resolve({ acked, signal });
    });
  });
}

describe('embedded ledger: durability', function () {
  this.timeout(40_000);
  let f: LedgerFixture;
  afterEach(async () => {
    await f?.cleanup();
  });

  it('keeps every acknowledged transaction after the process is killed with SIGKILL mid-stream', async () => {
    f = await openLedgerFixture();
    await f.identity(LIANGDANG, 'durability-writer');
    const walletDir = await sharedWalletDir();
    const ledgerDir = path.join(f.dir, 'killed-ledger');

    const { acked, signal } = await runAndKill(ledgerDir, walletDir, 'durability-writer', 400);
    expect(signal).to.equal('SIGKILL');
    expect(acked.length).to.be.at.least(400);

    const ledger = await EmbeddedLedger.open({
      dataDir: ledgerDir,
      contracts: [...contracts, ProbeContract],
      trustedCas: f.wallet.trustedCas(),
      endorsers: f.wallet.endorsers(),
      ordering: await f.wallet.ordering(),
    });
    try {
      const verification = await ledger.verifyChain();
      expect(verification.ok, verification.problem).to.equal(true);
      const reader = await f.identity(LIANGDANG, 'durability-reader');
      const missing: string[] = [];
      for (const ack of acked) {
        const info = await ledger.getTransaction(ack.txId);
        if (info?.validationCode !== 'VALID') missing.push(ack.txId);
        else if (json(await ledger.evaluate(reader, probe('Get', ack.key))).value !== ack.value) missing.push(ack.key);
      }
      expect(missing, 'acknowledged but lost').to.deep.equal([]);
      // The reopened ledger carries on from the surviving chain head.
      const height = await ledger.height();
      const r = await ledger.submit(reader, probe('Put', 'after-restart', 'ok'));
      expect(r.blockNumber).to.equal(height);
      expect((await ledger.verifyChain()).ok).to.equal(true);
    } finally {
      await ledger.close();
    }
  });
});
