import { tx } from '../../chaincode/src/catalogue';
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { AppFixture, openAppFixture } from '../support/app-fixture';
import { FENGXIAN, HUIXIAN, LIANGDANG } from '../support/ledger-fixture';
import { multipartBody } from '../support/multipart';

/** Every file under a folder, staging files too, as paths relative to it ([] when it does not exist). */
function filesUnder(dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true, recursive: true });
  } catch {
    return [];
  }
  return entries.filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name)));
}

describe('gateway /api/v1/evidence', () => {
  let f: AppFixture;
  let merchant: string;
  let auditor: string;
  let huixianEnforcement: string;
  let liangdangEnforcement: string;
  const pdf = Buffer.from('%PDF-1.4\nsoil test report for lot 7, Liangdang\n%%EOF\n');
  const sha = createHash('sha256').update(pdf).digest('hex');

  const upload = (
    key: string,
    content: Buffer | undefined,
    fields: Record<string, string> = {},
    url = '/api/v1/evidence',
    extra: Record<string, string> = {},
  ) => {
    const body = multipartBody(content ? { content, contentType: 'application/pdf', name: 'report.pdf' } : undefined, fields);
    return f.app.inject({ method: 'POST', url, payload: body.payload, headers: { ...body.headers, authorization: `Bearer ${key}`, ...extra } });
  };

  const blobFiles = () => filesUnder(path.join(f.ledger.dir, 'gateway', 'blobs')).sort();

  before(async () => {
    f = await openAppFixture({ maxEvidenceBytes: 4096 });
    await f.grant(LIANGDANG, 'merchant1', 'merchant');
    await f.grant(FENGXIAN, 'auditor1', 'auditor');
    await f.grant(HUIXIAN, 'enf1', 'enforcement');
    await f.grant(LIANGDANG, 'enf2', 'enforcement');
    merchant = await f.keyFor(LIANGDANG, 'merchant1');
    auditor = await f.keyFor(FENGXIAN, 'auditor1');
    huixianEnforcement = await f.keyFor(HUIXIAN, 'enf1');
    liangdangEnforcement = await f.keyFor(LIANGDANG, 'enf2');
  });
  after(async () => f.close());

  it('stores the file by digest and anchors SHA-256, SM3, size and media type on the ledger', async () => {
    const res = await upload(merchant, pdf, { refs: JSON.stringify({ orderIds: ['ord-1'] }), description: 'soil test' });
    expect(res.statusCode, res.body).to.equal(201);
    const body = res.json();
    expect(body.existing).to.equal(false);
    expect(body.result).to.include({ sha256: sha, sm3: createHash('sm3').update(pdf).digest('hex'), sizeBytes: pdf.length, mediaType: 'application/pdf' });
    expect(body.result.submitter).to.deep.equal({ mspId: LIANGDANG, member: 'merchant1' });
    expect(body.result.txId).to.equal(body.txId);
    const record = await f.request('GET', `/api/v1/evidence/${sha}`, auditor);
    expect(record.statusCode).to.equal(200);
    expect(record.json().record.refs).to.deep.equal({ orderIds: ['ord-1'] });
    const download = await f.request('GET', `/api/v1/evidence/${sha}/content`, auditor);
    expect(download.statusCode).to.equal(200);
    expect(download.headers['content-type']).to.equal('application/pdf');
    expect(download.rawPayload.equals(pdf)).to.equal(true);
    // on disk: the file under its digest, nothing left in the staging folder
    expect(blobFiles()).to.deep.equal([path.join(sha.slice(0, 2), sha)]);
  });

  it('an upload of an already stored file returns the existing record and submits nothing', async () => {
    const height = await f.ledger.ledger.height();
    const res = await upload(auditor, pdf);
    expect(res.statusCode).to.equal(200);
    expect(res.json()).to.include({ existing: true });
    expect(res.json().record.sha256).to.equal(sha);
    expect(await f.ledger.ledger.height()).to.equal(height);
  });

  it('verify: the same file matches with block number, validation code and endorsers from the block; one changed byte does not', async () => {
    const ok = await upload(auditor, pdf, {}, '/api/v1/evidence/verify');
    expect(ok.statusCode).to.equal(200);
    const v = ok.json();
    expect(v.match).to.equal(true);
    expect(v.transaction).to.include({ validationCode: 'VALID', creatorMspId: LIANGDANG, transactionName: tx.evidence.anchor.qualifiedName });
    expect(v.transaction.blockNumber).to.be.a('number');
    expect(v.transaction.endorsingOrganisations).to.deep.equal([HUIXIAN, LIANGDANG]);
    const block = await f.ledger.ledger.getBlock(v.transaction.blockNumber);
    expect(block?.data[v.transaction.txIndex]?.txId).to.equal(v.record.txId);

    const changed = Buffer.from(pdf);
    changed[10] = changed[10]! ^ 0x01;
    const bad = await upload(auditor, changed, {}, '/api/v1/evidence/verify');
    expect(bad.statusCode).to.equal(200);
    expect(bad.json().match).to.equal(false);
    expect(bad.json().digests.sha256).to.not.equal(sha);
  });

  it('refuses an empty file, an oversized file, a missing file and bad refs, writing nothing and leaving no file on disk', async () => {
    const height = await f.ledger.ledger.height();
    const files = blobFiles();
    const empty = await upload(merchant, Buffer.alloc(0));
    expect(empty.statusCode).to.equal(400);
    const big = await upload(merchant, Buffer.alloc(5000, 7));
    expect(big.statusCode).to.equal(413);
    expect(big.json().code).to.equal('PAYLOAD_TOO_LARGE');
    const none = await upload(merchant, undefined, { description: 'x' });
    expect(none.statusCode).to.equal(400);
    const badRefs = await upload(merchant, Buffer.from('another file'), { refs: '{"orderIds":"not-an-array"}' });
    expect(badRefs.statusCode).to.equal(400);
    const notJson = await upload(merchant, Buffer.from('another file'), { refs: '{' });
    expect(notJson.statusCode).to.equal(400);
    const json = await f.request('POST', '/api/v1/evidence', merchant, { file: 'x' });
    expect(json.statusCode).to.equal(400);
    expect(await f.ledger.ledger.height()).to.equal(height);
    // the oversized one is not kept cut at the limit either
    expect(blobFiles()).to.deep.equal(files);
    const unknown = await f.request('GET', `/api/v1/evidence/${'0'.repeat(64)}`, auditor);
    expect(unknown.statusCode).to.equal(404);
    const badDigest = await f.request('GET', '/api/v1/evidence/xyz', auditor);
    expect(badDigest.statusCode).to.equal(400);
  });

  it("recognition by another county's enforcement, once; not by the submitting county nor by a non-enforcement role", async () => {
    const own = await f.request('POST', `/api/v1/evidence/${sha}/recognitions`, liangdangEnforcement, {});
    expect(own.statusCode).to.equal(403);
    const notEnforcement = await f.request('POST', `/api/v1/evidence/${sha}/recognitions`, auditor, {});
    expect(notEnforcement.statusCode).to.equal(403);
    const ok = await f.request('POST', `/api/v1/evidence/${sha}/recognitions`, huixianEnforcement, { note: 'accepted in case 12' });
    expect(ok.statusCode).to.equal(201);
    const again = await f.request('POST', `/api/v1/evidence/${sha}/recognitions`, huixianEnforcement, {});
    expect(again.statusCode).to.equal(409);
    const record = await f.request('GET', `/api/v1/evidence/${sha}`, auditor);
    expect(record.json().recognitions.map((r: { mspId: string }) => r.mspId)).to.deep.equal([HUIXIAN]);
  });

  it('a member without any role can neither anchor nor verify evidence (403, nothing written); verification is open to every member with a role', async () => {
    const nobody = await f.keyFor(LIANGDANG, 'no-role');
    const height = await f.ledger.ledger.height();
    const refused = await upload(nobody, Buffer.from('a file nobody may anchor'));
    expect(refused.statusCode, refused.body).to.equal(403);
    expect(refused.json().code).to.equal('FORBIDDEN');
    expect(await f.ledger.ledger.height()).to.equal(height);
    const digest = createHash('sha256').update('a file nobody may anchor').digest('hex');
    expect((await f.request('GET', `/api/v1/evidence/${digest}/content`, auditor)).statusCode, 'the refused file is not kept').to.equal(404);
    expect(blobFiles().filter((p) => p.includes(digest) || p.startsWith('tmp'))).to.deep.equal([]);
    const refusedVerify = await upload(nobody, Buffer.from('a file nobody may anchor'), {}, '/api/v1/evidence/verify');
    expect(refusedVerify.statusCode, refusedVerify.body).to.equal(403);
    expect(refusedVerify.json().code).to.equal('FORBIDDEN');
    const verify = await upload(merchant, Buffer.from('a file nobody may anchor'), {}, '/api/v1/evidence/verify');
    expect(verify.statusCode, verify.body).to.equal(200);
    expect(await f.ledger.ledger.height()).to.equal(height);
  });

  it('an upload of a file anchored by a record the caller may not read is refused (409) and leaves no file; its reader may upload it later', async () => {
    const content = Buffer.from('inspection notes anchored on the ledger directly, the file never uploaded here');
    const digest = createHash('sha256').update(content).digest('hex');
    const submitter = await f.ledger.identity(LIANGDANG, 'merchant1');
    await f.ledger.ledger.submit(submitter, {
      name: tx.evidence.anchor.qualifiedName,
      args: [JSON.stringify({ sha256: digest, sm3: createHash('sm3').update(content).digest('hex'), sizeBytes: content.length, mediaType: 'text/plain' })],
    });
    const files = blobFiles();
    const height = await f.ledger.ledger.height();
    const refused = await upload(huixianEnforcement, content);
    expect(refused.statusCode, refused.body).to.equal(409);
    expect(refused.json().code).to.equal('CONFLICT');
    expect(blobFiles()).to.deep.equal(files);
    expect(await f.ledger.ledger.height()).to.equal(height);
    // the submitter may read the record: its upload is answered with it and the file is kept
    const kept = await upload(merchant, content);
    expect(kept.statusCode, kept.body).to.equal(200);
    expect(kept.json().existing).to.equal(true);
    expect(blobFiles()).to.deep.equal([...files, path.join(digest.slice(0, 2), digest)].sort());
    expect(await f.ledger.ledger.height()).to.equal(height);
  });

  it('requires an API key', async () => {
    const res = await f.app.inject({ method: 'POST', url: '/api/v1/evidence/verify', ...multipartBody({ content: pdf }) });
    expect(res.statusCode).to.equal(401);
  });
});

describe('gateway /api/v1/evidence: the free-space reserve', () => {
  let f: AppFixture;
  after(async () => f?.close());

  it('refuses an upload with 507 INSUFFICIENT_STORAGE when the disk would be left under EVIDENCE_DISK_RESERVE_BYTES: nothing stored, nothing written', async () => {
    // a reserve no disk has: every upload would go under it
    f = await openAppFixture({ settings: { evidenceDiskReserveBytes: Number.MAX_SAFE_INTEGER } });
    await f.grant(LIANGDANG, 'merchant-full', 'merchant');
    const key = await f.keyFor(LIANGDANG, 'merchant-full');
    const height = await f.ledger.ledger.height();
    const body = multipartBody({ content: Buffer.from('a report for a full disk'), contentType: 'application/pdf' });
    const res = await f.app.inject({
      method: 'POST',
      url: '/api/v1/evidence',
      payload: body.payload,
      headers: { ...body.headers, authorization: `Bearer ${key}` },
    });
    expect(res.statusCode, res.body).to.equal(507);
    expect(res.headers['content-type']).to.match(/^application\/problem\+json/);
    expect(res.json()).to.include({ code: 'INSUFFICIENT_STORAGE', status: 507 });
    expect(res.json().detail).to.not.match(/\d{4,}/);
    expect(filesUnder(path.join(f.ledger.dir, 'gateway', 'blobs'))).to.deep.equal([]);
    expect(await f.ledger.ledger.height()).to.equal(height);
    // verification stores nothing, so it is not held back by the reserve
    const verify = await f.app.inject({
      method: 'POST',
      url: '/api/v1/evidence/verify',
      payload: body.payload,
      headers: { ...body.headers, authorization: `Bearer ${key}` },
    });
    expect(verify.statusCode, verify.body).to.equal(200);
  });
});
