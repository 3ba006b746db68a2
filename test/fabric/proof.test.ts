import { execFile } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { tx } from '../../chaincode/src/catalogue';
import { submit } from '../../gateway-api/src/ledger/calls';
import { loadNetworkDescription } from '../../gateway-api/src/ledger/fabric/network-description';
import { ProofBundle } from '../../gateway-api/src/verify/bundle';
import { auditBlocks } from '../../gateway-api/src/verify/chain-audit';
import { linesOf, readChainExport } from '../../gateway-api/src/verify/chain-export';
import { PROOF_CHECKS, verifyProof } from '../../gateway-api/src/verify/checks';
import { fingerprintOf } from '../../gateway-api/src/verify/crypto';
import { fabricDecoder } from '../../gateway-api/src/verify/fabric-decoder';
import { copyBundle, fabricTamperCases, failedChecks } from '../support/fabric-tamper';
import { multipartBody } from '../support/multipart';
import { FabricAppFixture, openFabricApp, removeDir, runId } from './fabric-fixture';

const LIANGDANG = 'LiangdangMSP';
const HUIXIAN = 'HuixianMSP';
const CLI = path.join(__dirname, '../../gateway-api/src/verify/cli.js');

function verifier(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? -1) : 0, stdout, stderr });
    });
  });
}

describe('on Fabric: proof bundles from the peer’s blocks, checked offline; the chain audit with signatures', () => {
  let f: FabricAppFixture;
  let merchant: string;
  let auditor: string;
  let bundle: ProofBundle;
  const file = Buffer.from(`两当县 soil test report, lot ${runId}\n`);
  const sha256 = createHash('sha256').update(file).digest('hex');

  const anchor = (content: Buffer) => {
    const body = multipartBody({ content, contentType: 'text/plain', name: 'report.txt' });
    return f.app.inject({ method: 'POST', url: '/api/v1/evidence', payload: body.payload, headers: { ...body.headers, authorization: `Bearer ${merchant}` } });
  };

  before(async () => {
    f = await openFabricApp(LIANGDANG);
    const admin = await f.keyFor(LIANGDANG, 'admin');
    for (const [member, role] of [
      [`prover-${runId}`, 'merchant'],
      [`inspector-${runId}`, 'auditor'],
    ] as const) {
      const r = await f.request('POST', `/api/v1/members/${LIANGDANG}:${member}/roles`, admin, { role });
      expect(r.statusCode, r.body).to.equal(201);
    }
    merchant = await f.keyFor(LIANGDANG, `prover-${runId}`);
    auditor = await f.keyFor(LIANGDANG, `inspector-${runId}`);
    const anchored = await anchor(file);
    expect(anchored.statusCode, anchored.body).to.equal(201);
    const res = await f.request('GET', `/api/v1/evidence/${sha256}/proof`, merchant);
    expect(res.statusCode, res.body).to.equal(200);
    bundle = res.json() as ProofBundle;
  });
  after(async () => {
    await f?.close();
    if (f) removeDir(f.dir);
  });

  it('answers a Fabric bundle: the envelope and block as the peer holds them, a majority of counties endorsing, an orderer signing, the published CAs', async () => {
    expect(bundle).to.include({ format: 'county-ledger-proof/1', ledger: 'fabric', channel: 'countyledger', chaincode: 'countyledger', issuedBy: LIANGDANG });
    expect(bundle.evidence).to.include({ sha256, sizeBytes: file.length });
    expect(bundle.transaction.creator.mspId).to.equal(LIANGDANG);
    expect(bundle.transaction.validationCode).to.equal('VALID');
    const endorsers = bundle.transaction.endorsements.map((e) => e.mspId);
    expect(new Set(endorsers).size).to.be.at.least(2);
    expect(bundle.block.signatures.map((s) => s.mspId)).to.have.length(1);
    expect(bundle.block.signatures[0]?.mspId).to.match(/^(Liangdang|Huixian|Fengxian)OrdererMSP$/);
    // The block is the peer's block, byte for byte, and the transaction its entry at `index`.
    expect(Buffer.from(bundle.block.raw, 'base64').equals((await f.ledger.rawBlock(bundle.block.number)) as Buffer)).to.equal(true);
    const view = fabricDecoder.block(Buffer.from(bundle.block.raw, 'base64'));
    expect(view.transactions[bundle.transaction.index]?.raw.toString('base64')).to.equal(bundle.transaction.raw);
    expect(bundle.block.number).to.equal((await f.ledger.getTransaction(bundle.transaction.txId))?.blockNumber);
    // The roots of trust are the certificates each county published, county and ordering organisation.
    const network = loadNetworkDescription(process.env.FABRIC_NETWORK as string);
    const published = [...network.counties.map((c) => [c.mspId, c.ca.cert]), ...network.counties.map((c) => [c.orderer?.mspId, c.orderer?.ca?.cert])];
    expect(bundle.trust.counties.map((c) => c.mspId)).to.deep.equal(published.map(([m]) => m));
    for (const [i, [, file]] of published.entries()) {
      const der = new X509Certificate(readFileSync(file as string)).raw;
      expect(bundle.trust.counties[i]?.sha256).to.equal(createHash('sha256').update(der).digest('hex'));
    }
    expect(bundle.trust.endorsementPolicy).to.deep.equal({ rule: 'MAJORITY', organisations: ['FengxianMSP', 'HuixianMSP', LIANGDANG] });
    expect(bundle.trust.revocations).to.deep.equal([]);
  });

  it('passes every check offline, with the file and without it', async () => {
    const withFile = await verifyProof(bundle, file);
    expect(withFile.map((o) => o.check)).to.deep.equal([...PROOF_CHECKS]);
    expect(failedChecks(withFile), JSON.stringify(withFile, null, 2)).to.deep.equal([]);
    expect(failedChecks(await verifyProof(bundle))).to.deep.equal([]);
  });

  it('county-ledger-verify proof (a process, no network): every check ok and exit 0; a changed file FAILED and exit 1', async () => {
    const bundleFile = path.join(f.dir, 'proof.json');
    const fileFile = path.join(f.dir, 'report.txt');
    writeFileSync(bundleFile, JSON.stringify(bundle));
    writeFileSync(fileFile, file);
    const run = await verifier(['proof', bundleFile, fileFile]);
    expect(run.code, run.stdout + run.stderr).to.equal(0);
    expect(run.stdout).to.include('fabric ledger');
    for (const check of PROOF_CHECKS)
      expect(
        run.stdout.split('\n').some((l) => l.startsWith('ok') && l.includes(` ${check} `)),
        check,
      ).to.equal(true);
    expect(run.stdout).to.include(`verified: all ${PROOF_CHECKS.length} checks passed`);
    const changed = Buffer.from(file);
    changed[0] = (changed[0] as number) ^ 1;
    writeFileSync(fileFile, changed);
    const bad = await verifier(['proof', bundleFile, fileFile]);
    expect(bad.code).to.equal(1);
    expect(bad.stdout).to.match(/^FAILED {2}file sha256 /m);
    expect(bad.stdout).to.include(`NOT verified: 2 of ${PROOF_CHECKS.length} checks failed`);
  });

  describe('one byte changed: exactly the matching checks fail', () => {
    it('in each part of the bundle', async () => {
      // The cases are made from the live bundle (they locate their bytes in it), hence one test.
      for (const [part, change, expected] of fabricTamperCases(bundle)) {
        const changed = copyBundle(bundle);
        change(changed);
        const outcomes = await verifyProof(changed, file);
        expect(failedChecks(outcomes), `${part}: ${JSON.stringify(outcomes.filter((o) => !o.ok))}`).to.deep.equal(expected);
      }
    });

    it('in the file', async () => {
      const changed = Buffer.from(file);
      changed[3] = (changed[3] as number) ^ 1;
      expect(failedChecks(await verifyProof(bundle, changed))).to.deep.equal(['file sha256', 'file sm3']);
    });
  });

  it('names a signer revoked after the transaction (with its block), and still verifies', async () => {
    const content = Buffer.from(`second report ${runId}\n`);
    const r = await anchor(content);
    expect(r.statusCode, r.body).to.equal(201);
    const digest = createHash('sha256').update(content).digest('hex');
    const creator = f.wallet.ledgerIdentity(LIANGDANG, `prover-${runId}`);
    const admin = await f.identity(LIANGDANG, 'admin');
    const revoked = await submit(f.ledger, admin, tx.membership.revokeCertificate, {
      member: `prover-${runId}`,
      certificate: creator.certificate,
      reason: 'key lost',
    });
    // The merchant's certificate is revoked: an auditor of the county asks for the proof.
    const res = await f.request('GET', `/api/v1/evidence/${digest}/proof`, auditor);
    expect(res.statusCode, res.body).to.equal(200);
    const later = res.json() as ProofBundle;
    expect(later.trust.revocations).to.deep.equal([
      { mspId: LIANGDANG, sha256: fingerprintOf(creator.certificate), block: revoked.blockNumber, txId: revoked.txId },
    ]);
    const outcomes = await verifyProof(later, content);
    expect(failedChecks(outcomes)).to.deep.equal([]);
    expect(outcomes.find((o) => o.check === 'not revoked')?.detail).to.match(/1 revoked later/);
  });

  it('refuses an unanchored digest (404) and a member who may not read the record (403)', async () => {
    const missing = await f.request('GET', `/api/v1/evidence/${'0'.repeat(64)}/proof`, auditor);
    expect(missing.statusCode, missing.body).to.equal(404);
    const huixian = await openFabricApp(HUIXIAN, f.dir);
    try {
      const other = await huixian.keyFor(HUIXIAN, `outsider-${runId}`);
      const admin = await huixian.keyFor(HUIXIAN, 'admin');
      expect((await huixian.request('POST', `/api/v1/members/${HUIXIAN}:outsider-${runId}/roles`, admin, { role: 'merchant' })).statusCode).to.equal(201);
      const refused = await huixian.request('GET', `/api/v1/evidence/${sha256}/proof`, other);
      expect(refused.statusCode, refused.body).to.equal(403);
      expect(refused.json().code).to.equal('FORBIDDEN');
    } finally {
      await huixian.close();
    }
  });

  describe('the chain audit over the peer’s own blocks', () => {
    it('/audit/ledger checks every block’s orderer signature and every transaction’s creator and endorsements: ok', async () => {
      const res = await f.request('GET', '/api/v1/audit/ledger', auditor);
      expect(res.statusCode, res.body).to.equal(200);
      const audit = res.json();
      expect(audit, res.body).to.include({ ok: true, signaturesChecked: true });
      expect(audit.blocksChecked).to.equal(audit.height);
      // block 0 (the genesis configuration), the lifecycle transactions, and the suite's own
      expect(audit.transactionsChecked).to.be.at.least(audit.height);
    });

    it('GET /audit/ledger/export then county-ledger-verify chain on the file: ok; an altered orderer signature or a rogue county CA is reported at its block and transaction', async () => {
      const res = await f.request('GET', '/api/v1/audit/ledger/export', auditor);
      expect(res.statusCode, res.body.slice(0, 300)).to.equal(200);
      const exportFile = path.join(f.dir, 'chain.jsonl');
      writeFileSync(exportFile, res.body);
      const run = await verifier(['chain', exportFile]);
      expect(run.code, run.stdout + run.stderr).to.equal(0);
      expect(run.stdout).to.match(/^ok {6}chain {2}\d+ blocks, \d+ transactions/m);

      const lines = res.body.trim().split('\n');
      const header = JSON.parse(lines[0] as string);
      expect(header).to.include({ ledger: 'fabric' });
      const audit = async (edit: (lines: string[]) => string[]) => {
        const text = `${edit([...lines]).join('\n')}\n`;
        const { header: h, source } = await readChainExport(
          linesOf(
            (async function* () {
              yield text;
            })(),
          ),
        );
        return auditBlocks(source, fabricDecoder, { trust: h.trust });
      };
      expect(await audit((l) => l)).to.include({ ok: true });

      // The last block's orderer signature changed (outside the data hash): that block, no transaction named.
      const last = lines.length - 1;
      const forged = await audit((l) => {
        const entry = JSON.parse(l[last] as string);
        const raw = Buffer.from(entry.raw, 'base64');
        const signature = fabricDecoder.block(raw).signatures[0]!.signature;
        const at = raw.indexOf(signature) + 10;
        raw[at] = (raw[at] as number) ^ 1;
        l[last] = JSON.stringify({ ...entry, raw: raw.toString('base64') });
        return l;
      });
      expect(forged).to.include({ ok: false, firstBrokenBlock: last - 1 });
      expect(forged.problem).to.match(/block signature of \w+OrdererMSP does not verify/);

      // Huixian's CA replaced by another CA: its first signature (its lifecycle approval) is reported.
      const rogue = await audit((l) => {
        const h = JSON.parse(l[0] as string);
        const fengxian = h.trust.counties.find((c: { mspId: string }) => c.mspId === 'FengxianMSP');
        h.trust.counties = h.trust.counties.map((c: { mspId: string }) => (c.mspId === HUIXIAN ? { ...fengxian, mspId: HUIXIAN } : c));
        l[0] = JSON.stringify(h);
        return l;
      });
      expect(rogue.ok).to.equal(false);
      expect(rogue.firstBadTransaction).to.be.a('string');
      expect(rogue.problem).to.match(/HuixianMSP.*not issued by that CA/);
      const info = await f.ledger.getTransaction(rogue.firstBadTransaction as string);
      expect(info?.blockNumber).to.equal(rogue.firstBrokenBlock);
    });
  });
});
