import { tx } from '../../chaincode/src/catalogue';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { expect } from 'chai';
import { multipartBody } from '../support/multipart';
import { FabricAppFixture, openFabricApp, runId } from './fabric-fixture';

const LIANGDANG = 'LiangdangMSP';
const HUIXIAN = 'HuixianMSP';

describe('on Fabric: membership and evidence through the gateway', () => {
  let f: FabricAppFixture;
  let admin: string;
  before(async () => {
    f = await openFabricApp(LIANGDANG);
    admin = await f.keyFor(LIANGDANG, 'admin');
  });
  after(async () => f.close());

  it('a county admin (OU=admin certificate from the county CA) grants a role; another county reads it', async () => {
    const member = `clerk-${runId}`;
    const res = await f.request('POST', `/api/v1/members/${LIANGDANG}:${member}/roles`, admin, { role: 'auditor' });
    expect(res.statusCode, res.body).to.equal(201);
    expect(res.json().blockNumber).to.be.greaterThan(0);
    const huixian = await openFabricApp(HUIXIAN, f.dir);
    try {
      // a member with no role reads nothing but itself: Huixian's county admin reads
      const reader = await huixian.keyFor(HUIXIAN, 'admin');
      const seen = await huixian.request('GET', `/api/v1/members/${LIANGDANG}:${member}`, reader);
      expect(seen.statusCode, seen.body).to.equal(200);
      expect(seen.json().roles).to.deep.equal(['auditor']);
    } finally {
      await huixian.close();
    }
  });

  it('chaincode refusals come back with the same codes as on the embedded ledger', async () => {
    // The clerk holds a role, so the refusal comes from the chaincode (a member with none is refused by the gateway).
    expect((await f.request('POST', `/api/v1/members/${LIANGDANG}:nobody-${runId}/roles`, admin, { role: 'auditor' })).statusCode).to.equal(201);
    const clerk = await f.keyFor(LIANGDANG, `nobody-${runId}`);
    const forbidden = await f.request('POST', `/api/v1/members/${LIANGDANG}:x-${runId}/roles`, clerk, { role: 'auditor' });
    expect(forbidden.statusCode, forbidden.body).to.equal(403);
    expect(forbidden.json().code).to.equal('FORBIDDEN');
    const member = `twice-${runId}`;
    await f.request('POST', `/api/v1/members/${LIANGDANG}:${member}/roles`, admin, { role: 'merchant' });
    const conflict = await f.request('POST', `/api/v1/members/${LIANGDANG}:${member}/roles`, admin, { role: 'merchant' });
    expect(conflict.statusCode).to.equal(409);
    expect(conflict.json().code).to.equal('CONFLICT');
    const notFound = await f.request('DELETE', `/api/v1/members/${LIANGDANG}:${member}/roles/verifier`, admin);
    expect(notFound.statusCode).to.equal(404);
  });

  it('a revoked certificate is refused on a submit and an evaluate; offboarding leaves no role', async () => {
    const member = `leaver-${runId}`;
    await f.request('POST', `/api/v1/members/${LIANGDANG}:${member}/roles`, admin, { role: 'auditor' });
    const key = await f.keyFor(LIANGDANG, member);
    expect((await f.request('GET', '/api/v1/members/me', key)).json().roles).to.deep.equal(['auditor']);
    const certificate = f.wallet.ledgerIdentity(LIANGDANG, member).certificate;
    const revoked = await f.request('POST', `/api/v1/members/${LIANGDANG}:${member}/certificate/revocation`, admin, { certificate, reason: 'left' });
    expect(revoked.statusCode, revoked.body).to.equal(201);
    const read = await f.request('GET', '/api/v1/members/me', key);
    expect(read.statusCode, read.body).to.equal(403);
    expect(read.json().code).to.equal('FORBIDDEN');
    const write = await f.request('POST', `/api/v1/members/${LIANGDANG}:x-${runId}/roles`, key, { role: 'auditor' });
    expect(write.statusCode, write.body).to.equal(403);
    expect(write.json().detail).to.match(/was revoked/);
    // Offboarding the member (certificate already revoked) revokes its role in the same transaction.
    const adminId = await f.identity(LIANGDANG, 'admin');
    const off = await f.ledger.submit(adminId, {
      name: tx.membership.offboardMember.qualifiedName,
      args: [JSON.stringify({ member, certificate, reason: 'left' })],
    });
    expect(JSON.parse(off.payload.toString('utf8')).revokedRoles.map((g: { role: string }) => g.role)).to.deep.equal(['auditor']);
    const seen = await f.request('GET', `/api/v1/members/${LIANGDANG}:${member}`, admin);
    expect(seen.json().roles).to.deep.equal([]);
  });

  it('evidence verification reads block number, validation code and endorsing organisations from the Fabric block', async () => {
    const uploader = `uploader-${runId}`;
    await f.request('POST', `/api/v1/members/${LIANGDANG}:${uploader}/roles`, admin, { role: 'merchant' });
    const key = await f.keyFor(LIANGDANG, uploader);
    const content = Buffer.from(`inspection report ${runId}\n`);
    const up = multipartBody({ content, contentType: 'text/plain' });
    const anchored = await f.app.inject({
      method: 'POST',
      url: '/api/v1/evidence',
      payload: up.payload,
      headers: { ...up.headers, authorization: `Bearer ${key}` },
    });
    expect(anchored.statusCode, anchored.body).to.equal(201);
    const vf = multipartBody({ content, contentType: 'text/plain' });
    const verified = await f.app.inject({
      method: 'POST',
      url: '/api/v1/evidence/verify',
      payload: vf.payload,
      headers: { ...vf.headers, authorization: `Bearer ${key}` },
    });
    const v = verified.json();
    expect(v.match, verified.body).to.equal(true);
    expect(v.digests.sha256).to.equal(createHash('sha256').update(content).digest('hex'));
    expect(v.transaction).to.include({ validationCode: 'VALID', creatorMspId: LIANGDANG, transactionName: tx.evidence.anchor.qualifiedName });
    expect(v.transaction.blockNumber).to.equal(anchored.json().blockNumber);
    // Majority-of-counties endorsement: at least two counties signed.
    expect(v.transaction.endorsingOrganisations.length).to.be.at.least(2);
    const changed = Buffer.from(content);
    changed[0] = changed[0]! ^ 1;
    const bad = multipartBody({ content: changed });
    const notFound = await f.app.inject({
      method: 'POST',
      url: '/api/v1/evidence/verify',
      payload: bad.payload,
      headers: { ...bad.headers, authorization: `Bearer ${key}` },
    });
    expect(notFound.json().match).to.equal(false);
  });

  it('the public lookup (no key) and the evidence certificate name the block and the endorsing counties from the Fabric block', async () => {
    const uploader = `certifier-${runId}`;
    await f.request('POST', `/api/v1/members/${LIANGDANG}:${uploader}/roles`, admin, { role: 'enforcement' });
    const key = await f.keyFor(LIANGDANG, uploader);
    const content = Buffer.from(`certified report ${runId}\n`);
    const sha = createHash('sha256').update(content).digest('hex');
    const up = multipartBody({ content, contentType: 'text/plain' });
    const anchored = await f.app.inject({
      method: 'POST',
      url: '/api/v1/evidence',
      payload: up.payload,
      headers: { ...up.headers, authorization: `Bearer ${key}` },
    });
    expect(anchored.statusCode, anchored.body).to.equal(201);
    const transaction = await f.ledger.getTransaction(anchored.json().txId);
    expect(transaction?.endorsingOrganisations.length, 'a majority of counties endorsed').to.be.at.least(2);

    const lookup = await f.request('GET', `/api/v1/public/evidence/${sha}`);
    expect(lookup.statusCode, lookup.body).to.equal(200);
    const found = lookup.json();
    expect(found).to.include({ anchored: true, sha256: sha, txId: anchored.json().txId, blockNumber: anchored.json().blockNumber, validationCode: 'VALID' });
    expect(found.endorsingCounties.map((c: { mspId: string }) => c.mspId)).to.deep.equal([...(transaction?.endorsingOrganisations ?? [])]);
    expect(lookup.body).to.not.include(uploader);
    expect((await f.request('GET', `/api/v1/public/evidence/${createHash('sha256').update(`absent ${runId}`).digest('hex')}`)).statusCode).to.equal(404);

    const certificate = await f.request('GET', `/api/v1/evidence/${sha}/certificate`, key);
    expect(certificate.statusCode, certificate.body.slice(0, 200)).to.equal(200);
    expect(certificate.headers['content-type']).to.equal('application/pdf');
    const text = execFileSync('pdftotext', ['-layout', '-', '-'], { input: certificate.rawPayload }).toString('utf8');
    expect(text).to.include('存证证书');
    expect(text).to.include(anchored.json().txId);
    expect(text).to.include(`两当县 ${LIANGDANG}`);
    const endorsing = text.split('\n').find((l) => l.includes('背书县')) ?? '';
    for (const c of found.endorsingCounties as Array<{ mspId: string; chineseName: string }>) expect(endorsing).to.include(`${c.chineseName} ${c.mspId}`);
  });

  it('the audit endpoint verifies the Fabric hash chain from block 0 (auditors only)', async () => {
    const member = `chain-auditor-${runId}`;
    expect((await f.request('POST', `/api/v1/members/${LIANGDANG}:${member}/roles`, admin, { role: 'auditor' })).statusCode).to.equal(201);
    expect((await f.request('GET', '/api/v1/audit/ledger', admin)).statusCode, 'a county admin is no auditor').to.equal(403);
    const res = await f.request('GET', '/api/v1/audit/ledger', await f.keyFor(LIANGDANG, member));
    expect(res.statusCode, res.body).to.equal(200);
    expect(res.json()).to.include({ ok: true });
    expect(res.json().height).to.be.greaterThan(1);
  });
});
