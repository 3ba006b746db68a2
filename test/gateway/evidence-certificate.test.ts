import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { CjkFontUnavailable, loadCjkFont } from '../../gateway-api/src/evidence/certificate-pdf';
import { cstDateTime } from '../../gateway-api/src/evidence/certificate-facts';
import { AppFixture, openAppFixture } from '../support/app-fixture';
import { FENGXIAN, HUIXIAN, LIANGDANG } from '../support/ledger-fixture';
import { registerCountiesOn } from '../support/credit-world';
import { creditCode, World } from '../support/market-world';
import { tx } from '../../chaincode/src/catalogue';
import { multipartBody } from '../support/multipart';

/** The Chinese names the default configuration gives the counties (gateway-api/src/identity/counties.ts). */
const CHINESE: Record<string, string> = { [LIANGDANG]: '两当县', [HUIXIAN]: '徽县', [FENGXIAN]: '凤县' };
const BASE_URL = 'https://ledger.liangdang.example/console';

/** The PDF's text as poppler's pdftotext reads it (-layout keeps each row on its line). */
function pdfText(pdf: Buffer): string {
  return execFileSync('pdftotext', ['-layout', '-', '-'], { input: pdf }).toString('utf8');
}

/** Every page rendered to PNG at 150 dpi by pdftoppm, each decoded for a QR code. */
function qrCodesOf(pdf: Buffer): Array<string | undefined> {
  const dir = mkdtempSync(path.join(tmpdir(), 'certificate-'));
  try {
    writeFileSync(path.join(dir, 'c.pdf'), pdf);
    execFileSync('pdftoppm', ['-png', '-r', '150', path.join(dir, 'c.pdf'), path.join(dir, 'page')]);
    const pages = readdirSync(dir)
      .filter((f) => f.endsWith('.png'))
      .sort();
    return pages.map((page) => {
      const png = PNG.sync.read(readFileSync(path.join(dir, page)));
      return jsQR(new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length), png.width, png.height)?.data;
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** CST computed apart from the gateway's formatter: the Asia/Shanghai wall clock. */
function shanghaiTime(iso: string): string {
  return `${new Date(iso).toLocaleString('sv-SE', { timeZone: 'Asia/Shanghai', hour12: false })} CST`;
}

describe('gateway GET /api/v1/evidence/{digest}/certificate (存证证书)', () => {
  let f: AppFixture;
  let key: Record<string, string>;
  const report = Buffer.from('Inspection report: the walnut oil of lot 12 meets GB/T 22327.\n');
  const sha = createHash('sha256').update(report).digest('hex');
  const sm3 = createHash('sm3').update(report).digest('hex');
  let record: { txId: string; anchoredAt: string };

  before(async () => {
    f = await openAppFixture({ settings: { publicBaseUrl: BASE_URL } });
    await f.grant(LIANGDANG, 'enf-a', 'enforcement');
    await f.grant(HUIXIAN, 'aud-b', 'auditor');
    await f.grant(HUIXIAN, 'reg-b', 'regulator');
    await f.grant(FENGXIAN, 'fin-c', 'finance');
    await f.grant(FENGXIAN, 'enf-c', 'enforcement');
    key = {};
    for (const [mspId, member] of [
      [LIANGDANG, 'enf-a'],
      [HUIXIAN, 'aud-b'],
      [HUIXIAN, 'reg-b'],
      [FENGXIAN, 'fin-c'],
      [FENGXIAN, 'enf-c'],
      [HUIXIAN, 'no-role'],
    ] as const)
      key[member] = await f.keyFor(mspId, member);
    // The report concerns a Huixian enterprise, so Huixian's regulator is a county concerned.
    await registerCountiesOn(f);
    const subjectId = creditCode('621227', 71_001);
    await World.over(f.ledger).submit(await f.ledger.identity(HUIXIAN, 'reg-b'), tx.subjects.registerEnterprise, { creditCode: subjectId });
    const body = multipartBody({ content: report, contentType: 'text/plain', name: 'report.txt' }, { refs: JSON.stringify({ subjectIds: [subjectId] }) });
    const res = await f.app.inject({
      method: 'POST',
      url: '/api/v1/evidence',
      payload: body.payload,
      headers: { ...body.headers, authorization: `Bearer ${key['enf-a']}` },
    });
    expect(res.statusCode, res.body).to.equal(201);
    record = res.json().result;
  });
  after(async () => f?.close());

  const certificate = (k: string | undefined, digest = sha) => f.request('GET', `/api/v1/evidence/${digest}/certificate`, k);

  it('answers a PDF whose text carries every field: digests, size, CST time, block, transaction, counties in Chinese, member, endorsers, the verification URL', async () => {
    const res = await certificate(key['enf-a']);
    expect(res.statusCode, res.body.slice(0, 300)).to.equal(200);
    expect(res.headers['content-type']).to.equal('application/pdf');
    expect(res.headers['content-disposition']).to.equal(`inline; filename="evidence-certificate-${sha}.pdf"`);
    expect(res.headers['cache-control']).to.equal('private, no-store');
    expect(res.rawPayload.subarray(0, 5).toString('latin1')).to.equal('%PDF-');
    const transaction = await f.ledger.ledger.getTransaction(record.txId);
    expect(transaction?.validationCode).to.equal('VALID');
    const endorsers = transaction?.endorsingOrganisations ?? [];
    expect(endorsers.length, 'the block names its endorsers').to.be.at.least(1);

    const text = pdfText(res.rawPayload);
    const lines = text.split('\n');
    const lineWith = (label: string) => lines.find((l) => l.includes(label)) ?? '';
    expect(text).to.include('存证证书');
    expect(text).to.include('Evidence Certificate');
    expect(lineWith('SHA-256 摘要')).to.include(sha);
    expect(lineWith('SM3 摘要')).to.include(sm3);
    expect(lineWith('文件大小')).to.include(`${report.length} 字节 bytes`);
    expect(lineWith('文件类型')).to.include('text/plain');
    const cst = shanghaiTime(record.anchoredAt);
    expect(cst).to.match(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d CST$/);
    expect(lineWith('存证时间')).to.include(cst);
    expect(text).to.include(`${record.anchoredAt} (UTC)`);
    expect(lineWith('区块高度')).to.match(new RegExp(`\\s${transaction?.blockNumber}\\s*$`));
    expect(lineWith('交易 ID')).to.include(record.txId);
    expect(lineWith('验证状态')).to.include('VALID 有效');
    expect(lineWith('提交县')).to.include(`两当县 ${LIANGDANG}`);
    expect(lineWith('提交成员')).to.match(/\senf-a\s*$/);
    const endorsing = lineWith('背书县');
    for (const mspId of endorsers) expect(endorsing).to.include(`${CHINESE[mspId]} ${mspId}`);
    // Counties that did not endorse are not named there.
    for (const mspId of Object.keys(CHINESE).filter((m) => !endorsers.includes(m))) expect(endorsing).to.not.include(mspId);
    expect(text.replace(/\s+/g, '')).to.include(`${BASE_URL}/#/verify/${sha}`);
    expect(text).to.include('扫码核验');
    // Refs are not what the certificate is about: the enterprise's code is not printed.
    expect(text).to.not.include('621227');
  });

  it('carries a QR code that decodes to the public verification page of the digest', async () => {
    const res = await certificate(key['aud-b']);
    expect(res.statusCode).to.equal(200);
    expect(qrCodesOf(res.rawPayload)).to.deep.equal([`${BASE_URL}/#/verify/${sha}`]);
  });

  it('is for those who may read the record: the submitter, a concerned county’s regulator, an auditor', async () => {
    for (const name of ['enf-a', 'reg-b', 'aud-b']) {
      const res = await certificate(key[name]);
      expect(res.statusCode, name).to.equal(200);
      expect(res.headers['content-type'], name).to.equal('application/pdf');
    }
  });

  it('refuses a member not concerned (403), one without a role (403), no key (401), an unknown digest (404), a bad digest (400), and writes nothing', async () => {
    const height = await f.ledger.ledger.height();
    for (const name of ['fin-c', 'enf-c', 'no-role']) {
      const res = await certificate(key[name]);
      expect(res.statusCode, name).to.equal(403);
      expect(res.headers['content-type'], name).to.match(/^application\/problem\+json/);
      expect(res.json().code, name).to.equal('FORBIDDEN');
      expect(res.body, name).to.not.include(sm3);
    }
    const anonymous = await certificate(undefined);
    expect(anonymous.statusCode).to.equal(401);
    expect(anonymous.json().code).to.equal('UNAUTHENTICATED');
    const unknown = await certificate(key['aud-b'], createHash('sha256').update('never anchored').digest('hex'));
    expect(unknown.statusCode).to.equal(404);
    expect(unknown.json().code).to.equal('NOT_FOUND');
    for (const bad of ['abc', sha.toUpperCase(), `${sha}0`]) {
      const res = await certificate(key['aud-b'], bad);
      expect(res.statusCode, bad).to.equal(400);
      expect(res.json().code, bad).to.equal('INVALID_ARGUMENT');
    }
    expect(await f.ledger.ledger.height(), 'nothing was written').to.equal(height);
  });

  it('the OpenAPI document describes the route as answering application/pdf', async () => {
    const doc = (await f.request('GET', '/openapi.json')).json();
    const op = doc.paths['/api/v1/evidence/{digest}/certificate'].get;
    expect(Object.keys(op.responses['200'].content)).to.deep.equal(['application/pdf']);
    expect(op.responses['200'].content['application/pdf'].schema).to.include({ type: 'string', format: 'binary' });
  });

  it('without a usable CJK font answers 503 UNAVAILABLE — after the access check, so an outsider still gets 403', async () => {
    const g = await openAppFixture({ settings: { cjkFont: path.join(tmpdir(), 'no-such-font.ttc') } });
    try {
      await g.grant(LIANGDANG, 'enf-a', 'enforcement');
      const submitter = await g.keyFor(LIANGDANG, 'enf-a');
      const outsider = await g.keyFor(HUIXIAN, 'no-role');
      const body = multipartBody({ content: report, contentType: 'text/plain', name: 'report.txt' });
      const up = await g.app.inject({
        method: 'POST',
        url: '/api/v1/evidence',
        payload: body.payload,
        headers: { ...body.headers, authorization: `Bearer ${submitter}` },
      });
      expect(up.statusCode, up.body).to.equal(201);
      const res = await g.request('GET', `/api/v1/evidence/${sha}/certificate`, submitter);
      expect(res.statusCode).to.equal(503);
      expect(res.json().code).to.equal('UNAVAILABLE');
      expect((await g.request('GET', `/api/v1/evidence/${sha}/certificate`, outsider)).statusCode).to.equal(403);
    } finally {
      await g.close();
    }
  });

  it('loadCjkFont refuses a missing file, a file that is no font, and a font without Chinese glyphs, saying what to install', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'fonts-'));
    try {
      const notAFont = path.join(dir, 'not-a-font.ttf');
      writeFileSync(notAFont, 'plain text, not a font');
      const cases: Array<[string, RegExp]> = [
        [path.join(dir, 'missing.ttc'), /cannot be read \(ENOENT\)/],
        [notAFont, /is not a font/],
      ];
      // A Latin-only font, where the machine has one (Debian's fonts-dejavu-core).
      const dejavu = '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf';
      if (existsSync(dejavu)) cases.push([dejavu, /has no face with the Chinese glyphs/]);
      for (const [file, message] of cases) {
        let error: unknown;
        try {
          loadCjkFont(file);
        } catch (err) {
          error = err;
        }
        expect(error, file).to.be.instanceOf(CjkFontUnavailable);
        expect((error as Error).message, file).to.match(message);
        expect((error as Error).message, file).to.include('fonts-wqy-microhei');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('cstDateTime writes an instant in China Standard Time, to the second', () => {
    expect(cstDateTime('2026-12-01T12:00:00.000Z')).to.equal('2026-12-01 20:00:00 CST');
    expect(cstDateTime('2026-12-31T16:30:05.999Z'), 'the CST day after the UTC one').to.equal('2027-01-01 00:30:05 CST');
    expect(() => cstDateTime('not a time')).to.throw(/not an ISO time/);
  });
});
