import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { Block, serializeBlock } from '../../gateway-api/src/ledger/embedded/block-format';
import { CHAIN_EXPORT_FORMAT } from '../../gateway-api/src/verify/chain-export';
import { PROOF_CHECKS } from '../../gateway-api/src/verify/checks';
import { HUIXIAN } from '../support/ledger-fixture';
import { flipBase64, forgeBlock } from '../support/forge-block';
import { openProofWorld, ProofWorld } from '../support/proof-world';

const CLI = path.join(__dirname, '../../gateway-api/src/verify/cli.js');

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the verifier as a separate process, as an auditor would (no network beyond what it is told). */
function verifier(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? -1) : 0, stdout, stderr });
    });
  });
}

describe('county-ledger-verify (the offline verifier, run as a process)', () => {
  let w: ProofWorld;
  let dir: string;
  let auditor: string;
  before(async () => {
    w = await openProofWorld();
    dir = mkdtempSync(path.join(os.tmpdir(), 'cl-verify-'));
    await w.f.grant(HUIXIAN, 'auditor2', 'auditor');
    auditor = await w.f.keyFor(HUIXIAN, 'auditor2');
  });
  after(async () => {
    await w?.f.close();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('proof', () => {
    let bundleFile: string;
    let fileFile: string;
    before(async () => {
      const res = await w.proof(w.keys.auditor);
      expect(res.statusCode, res.body).to.equal(200);
      bundleFile = path.join(dir, 'bundle.json');
      fileFile = path.join(dir, 'report.pdf');
      writeFileSync(bundleFile, res.body);
      writeFileSync(fileFile, w.file);
    });

    it('prints every check as ok and exits 0', async () => {
      const run = await verifier(['proof', bundleFile, fileFile]);
      expect(run.code, run.stdout + run.stderr).to.equal(0);
      const lines = run.stdout.split('\n');
      for (const check of PROOF_CHECKS)
        expect(
          lines.some((l) => l.startsWith('ok') && l.includes(` ${check} `)),
          check,
        ).to.equal(true);
      expect(run.stdout).to.include(`verified: all ${PROOF_CHECKS.length} checks passed`);
      expect(run.stdout).to.match(/LiangdangMSP\s+sha256 [0-9a-f]{64}/);
    });

    it('prints the failed check and exits 1 for a changed file or a changed bundle', async () => {
      const changed = path.join(dir, 'changed.pdf');
      writeFileSync(changed, Buffer.concat([w.file, Buffer.from(' ')]));
      const run = await verifier(['proof', bundleFile, changed]);
      expect(run.code).to.equal(1);
      expect(run.stdout).to.match(/^FAILED {2}file sha256 /m);
      expect(run.stdout).to.match(/^FAILED {2}file sm3 /m);
      expect(run.stdout).to.include(`NOT verified: 2 of ${PROOF_CHECKS.length} checks failed`);

      const bundle = JSON.parse(await (await import('node:fs/promises')).readFile(bundleFile, 'utf8'));
      bundle.transaction.endorsements = bundle.transaction.endorsements.slice(0, 1);
      const forged = path.join(dir, 'forged.json');
      writeFileSync(forged, JSON.stringify(bundle));
      const bad = await verifier(['proof', forged]);
      expect(bad.code).to.equal(1);
      expect(bad.stdout).to.match(/^FAILED {2}endorsement signatures +transaction.endorsements are not those in transaction.raw/m);
    });

    it('exits 2 with its usage for bad usage or an unreadable bundle', async () => {
      for (const args of [[], ['prove', bundleFile], ['proof'], ['proof', path.join(dir, 'missing.json')]]) {
        const run = await verifier(args);
        expect(run.code, args.join(' ')).to.equal(2);
      }
      expect((await verifier(['proof'])).stderr).to.include('usage:');
    });
  });

  describe('chain', () => {
    const exportUrl = '/api/v1/audit/ledger/export';

    it('GET /audit/ledger/export: auditors only (403 problem+json for others, 401 without a key), JSON lines of the documented shape', async () => {
      const height = await w.f.ledger.ledger.height();
      const res = await w.f.request('GET', exportUrl, auditor);
      expect(res.statusCode).to.equal(200);
      expect(res.headers['content-type']).to.match(/^application\/x-ndjson/);
      const lines = res.body
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      expect(lines[0]).to.include({ format: CHAIN_EXPORT_FORMAT, ledger: 'embedded', height });
      expect(lines[0].trust.endorsementPolicy.rule).to.equal('MAJORITY');
      expect(lines.slice(1).map((l) => l.number)).to.deep.equal([...Array(height).keys()]);
      for (const key of [w.keys.merchant, w.keys.noRole]) {
        const refused = await w.f.request('GET', exportUrl, key);
        expect(refused.statusCode).to.equal(403);
        expect(refused.headers['content-type']).to.match(/^application\/problem\+json/);
        expect(refused.json()).to.include({ code: 'FORBIDDEN', detail: 'this needs the auditor role' });
      }
      expect((await w.f.request('GET', exportUrl)).statusCode).to.equal(401);
      expect(await w.f.ledger.ledger.height()).to.equal(height);
    });

    it('audits an exported chain file, and from a gateway URL, and names the first bad block and transaction', async () => {
      const file = path.join(dir, 'chain.jsonl');
      writeFileSync(file, (await w.f.request('GET', exportUrl, auditor)).body);
      const run = await verifier(['chain', file]);
      expect(run.code, run.stdout + run.stderr).to.equal(0);
      expect(run.stdout).to.match(/^ok {6}chain {2}\d+ blocks, \d+ transactions: hash links, data hashes, block signatures/m);

      // A creator signature altered in a stored block (and the block re-hashed and re-signed by the ordering node).
      const ledger = w.f.ledger.ledger;
      const n = (await ledger.height()) - 1;
      const block = (await ledger.getBlock(n)) as Block;
      await forgeBlock(ledger, w.f.ledger.wallet, n, (tx, i) => (i === 0 ? { ...tx, signature: flipBase64(tx.signature) } : tx));
      const tampered = path.join(dir, 'tampered.jsonl');
      writeFileSync(tampered, (await w.f.request('GET', exportUrl, auditor)).body);
      const bad = await verifier(['chain', tampered]);
      expect(bad.code).to.equal(1);
      expect(bad.stdout).to.include(
        `FAILED  chain  block ${n}, transaction ${block.data[0]?.txId}: the creator signature does not verify with the creator certificate`,
      );

      // The same through the API's own audit.
      const api = await w.f.request('GET', '/api/v1/audit/ledger', auditor);
      expect(api.json()).to.include({ ok: false, firstBrokenBlock: n, firstBadTransaction: block.data[0]?.txId, signaturesChecked: true });

      // From a listening gateway, with the key in a file.
      await ledger.store.tamperWithBlockForTest(n, serializeBlock(block));
      const address = await w.f.app.listen({ host: '127.0.0.1', port: 0 });
      const keyFile = path.join(dir, 'auditor.key');
      writeFileSync(keyFile, `${auditor}\n`, { mode: 0o600 });
      const online = await verifier(['chain', '--gateway', address, '--key-file', keyFile]);
      expect(online.code, online.stdout + online.stderr).to.equal(0);
      expect(online.stdout).to.include(`from ${address}${exportUrl}`);
      expect(online.stderr).to.match(/checked \d+ of \d+ blocks/);
      const refused = await verifier(['chain', '--gateway', address, '--key', w.keys.merchant]);
      expect(refused.code).to.equal(2);
      expect(refused.stderr).to.include('answered 403');
      expect((await verifier(['chain', '--gateway', address])).code).to.equal(2);
    });

    it('refuses a file that is no chain export (exit 2)', async () => {
      const file = path.join(dir, 'not-an-export.jsonl');
      writeFileSync(file, '{"format":"something else"}\n');
      const run = await verifier(['chain', file]);
      expect(run.code).to.equal(2);
      expect(run.stderr).to.include(`not a ${CHAIN_EXPORT_FORMAT} export`);
    });
  });
});
