import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { BrowserContext, Page } from 'playwright-core';
import { buildCreditCode } from '../../chaincode/src/kernel/credit-code';
import { sleep } from '../support/expect-error';
import { axeViolations, demoGateway, inPage, newContext, open, screenshot, SCREENSHOT_DIR } from './console-fixture';

/**
 * The public portal, as a resident without a key meets it, in Chromium against the demo gateway
 * (shared by every console test file: this file makes its own data, with its own names, and
 * assumes nothing about what other files add).
 */

const LD = 'LiangdangMSP';
const HX = 'HuixianMSP';
const FX = 'FengxianMSP';
/** A run-specific number, so names and codes made here are this run's own. */
const RUN = Date.now() % 1_000_000;
const README_SHOTS = path.resolve(__dirname, '../../../docs/console');

interface Answer {
  status: number;
  body: any;
}

async function call(method: string, route: string, key?: string, body?: unknown): Promise<Answer> {
  const g = await demoGateway();
  const headers: Record<string, string> = { ...(key ? { authorization: `Bearer ${key}` } : {}) };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${g.baseUrl}/api/v1/${route}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  return { status: res.status, body: await res.json() };
}
async function created(method: string, route: string, key: string, body?: unknown): Promise<any> {
  const res = await call(method, route, key, body ?? {});
  expect(res.status, `${method} ${route}: ${JSON.stringify(res.body)}`).to.equal(201);
  return res.body.result;
}
const key = async (msp: string, member: string) => (await demoGateway()).key(msp, member);

/** Uploads a file as evidence (multipart, as the REST API takes it); answers its record. */
async function anchorFile(bytes: Buffer, name: string): Promise<any> {
  const g = await demoGateway();
  const form = new FormData();
  form.append('description', 'portal test evidence');
  form.append('file', new Blob([bytes], { type: 'text/plain' }), name);
  const res = await fetch(`${g.baseUrl}/api/v1/evidence`, { method: 'POST', headers: { authorization: `Bearer ${await key(LD, 'verifier')}` }, body: form });
  const body = (await res.json()) as any;
  expect(res.status, JSON.stringify(body)).to.be.oneOf([200, 201]);
  return body.result ?? body;
}

/** Records a violation and blacklists the subject on it (Liangdang's enforcement officer). */
async function blacklist(subjectId: string, reason: string): Promise<any> {
  const enforcement = await key(LD, 'enforcement');
  const event = await created('POST', 'credit-events', enforcement, {
    subjectId,
    kind: 'eco-violation',
    severity: 'serious',
    harmfulConsequence: true,
    summary: 'discharged waste water into the Jialing river',
    evidenceRefs: ['doc:portal-inspection'],
  });
  const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
  const end = new Date(Date.now() + 8 * 3600_000 + 365 * 86_400_000).toISOString().slice(0, 10);
  return created('POST', 'blacklist', enforcement, {
    subjectId,
    basisEventIds: [event.id],
    reason,
    legalBasis: '《环境保护法》第六十三条',
    measures: ['trading', 'fund'],
    startDate: today,
    endDate: end,
    decisionEvidenceRefs: ['doc:portal-decision'],
  });
}

/** A file dropped on the page's drop zone: a DataTransfer built in the page holding a File of these bytes. */
async function dropFile(page: Page, selector: string, bytes: Buffer, name: string): Promise<void> {
  const transfer = await page.evaluateHandle(
    `(() => { const bytes = Uint8Array.from(atob(${JSON.stringify(bytes.toString('base64'))}), (c) => c.charCodeAt(0));
      const dt = new DataTransfer(); dt.items.add(new File([bytes], ${JSON.stringify(name)}, { type: 'text/plain' })); return dt; })()`,
  );
  await page.dispatchEvent(selector, 'dragenter', { dataTransfer: transfer });
  await page.dispatchEvent(selector, 'dragover', { dataTransfer: transfer });
  await page.dispatchEvent(selector, 'drop', { dataTransfer: transfer });
  await transfer.dispose();
}

async function noHorizontalScroll(page: Page): Promise<void> {
  const width = await inPage<number>(page, 'document.documentElement.scrollWidth');
  expect(width, 'no horizontal page scrolling on a 390 px screen').to.be.at.most(390);
}

/** A README screenshot: a 1280×800 viewport (not the full page), kept with the test output; copied into docs/console when asked. */
async function readmeShot(page: Page, name: string): Promise<void> {
  await page.setViewportSize({ width: 1280, height: 800 });
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `readme-${name}.png`);
  await page.screenshot({ path: file });
  if (process.env.UPDATE_README_SCREENSHOTS === '1') {
    mkdirSync(README_SHOTS, { recursive: true });
    copyFileSync(file, path.join(README_SHOTS, `${name}.png`));
  }
}

describe('console: the public portal, without a key (Chromium)', function () {
  this.timeout(180_000);
  let context: BrowserContext;
  before(async () => {
    await demoGateway();
  });
  beforeEach(async () => {
    context = await newContext();
  });
  afterEach(async () => context.close());

  describe('blacklist lookup (信用公示)', () => {
    const code = buildCreditCode('91', '621228', 800_000 + RUN);
    const name = `两当县门户测试砂石有限公司${RUN}`;
    const person = { idNumber: `62122819900101${String(RUN % 1000).padStart(3, '0')}X`, name: `王门户${RUN}` };
    let individualId: string;

    before(async () => {
      const regulator = await key(LD, 'regulator');
      await created('POST', 'subjects', regulator, { creditCode: code, name });
      await blacklist(code, '向嘉陵江排放废水，造成严重后果');
      individualId = (await created('POST', 'subjects/individuals', regulator, person)).id;
      await blacklist(individualId, '个人违法排污');
    });

    it('finds an enterprise blacklisted in this test by its credit code and by part of its name, with its entry', async () => {
      const page = await context.newPage();
      await open(page, '/blacklist');
      await page.locator('#bl-query').fill(code);
      await page.locator('[data-test="bl-search"]').click();
      const rows = page.locator('[data-test="bl-results"] .el-table__body tr');
      await rows.first().waitFor();
      expect(await rows.count()).to.equal(1);
      expect(await page.locator('[data-test="bl-code"]').allTextContents()).to.deep.equal([code]);
      const row = (await rows.first().textContent()) ?? '';
      expect(row)
        .to.include(name)
        .and.include('向嘉陵江排放废水')
        .and.include('限制交易')
        .and.include('限制补偿资金')
        .and.include('严重')
        .and.include('两当县');
      await screenshot(page, 'portal-blacklist-by-code');

      // By a part of the name, typed with the keyboard and submitted with Enter.
      await page.locator('#bl-query').fill('');
      await page.locator('#bl-query').pressSequentially(`砂石有限公司${RUN}`);
      await page.keyboard.press('Enter');
      await page.locator('[data-test="bl-summary"]').filter({ hasText: '找到 1 条' }).waitFor();
      expect(await page.locator('[data-test="bl-code"]').allTextContents()).to.deep.equal([code]);
      await screenshot(page, 'portal-blacklist-by-name');
    });

    it('never shows an individual, by name or by subject ID, though the individual is blacklisted', async () => {
      // The entry exists (an officer sees it) ...
      const officer = await call('GET', `subjects/${individualId}/blacklist`, await key(LD, 'enforcement'));
      expect(officer.status, JSON.stringify(officer.body)).to.equal(200);
      expect(officer.body.items).to.have.length(1);
      // ... but the portal finds nothing and the page holds nothing of it.
      const page = await context.newPage();
      const answers: string[] = [];
      page.on('response', async (r) => {
        if (r.url().includes('/api/v1/public/blacklist')) answers.push(await r.text());
      });
      await open(page, '/blacklist');
      for (const q of [person.name, individualId]) {
        await page.locator('#bl-query').fill(q);
        await page.locator('[data-test="bl-search"]').click();
        await page.locator('[data-test="bl-none"]').waitFor();
        expect(await page.locator('[data-test="bl-results"]').count()).to.equal(0);
      }
      // An empty query lists every disclosed entry: still no individual among them.
      await page.locator('#bl-query').fill('');
      await page.locator('[data-test="bl-search"]').click();
      await page.locator('[data-test="bl-results"]').waitFor();
      while ((await page.locator('[data-test="bl-more"]').count()) > 0) await page.locator('[data-test="bl-more"]').click();
      const codes = await page.locator('[data-test="bl-code"]').allTextContents();
      expect(codes).to.include(code);
      expect(codes.filter((c) => c.startsWith('ind-'))).to.deep.equal([]);
      const text = (await page.locator('#main').textContent()) ?? '';
      expect(text).to.not.include(person.name).and.not.include(individualId).and.not.include(person.idNumber);
      expect(answers.length).to.be.greaterThan(0);
      for (const a of answers) expect(a).to.not.include(individualId).and.not.include(person.name);
      await screenshot(page, 'portal-blacklist-all');
    });

    it('works on a phone-sized screen and passes axe-core’s WCAG A/AA checks', async () => {
      const phone = await newContext({ phone: true, forAxe: true });
      try {
        const page = await phone.newPage();
        await open(page, '/blacklist');
        await page.locator('#bl-query').fill(code);
        await page.locator('[data-test="bl-search"]').click();
        await page.locator('[data-test="bl-code"]').waitFor();
        await noHorizontalScroll(page);
        await screenshot(page, 'portal-blacklist-phone');
        expect(await axeViolations(page)).to.deep.equal([]);
      } finally {
        await phone.close();
      }
    });
  });

  describe('evidence verification by drag-and-drop (数据存证核验)', () => {
    const original = Buffer.from(`现场核验报告 ${RUN}\n两当县 蜂蜜 100 罐，土壤检测合格。\n`, 'utf8');
    // The same file with one byte changed.
    const changed = Buffer.from(original);
    changed[changed.length - 2] = (changed[changed.length - 2] as number) ^ 0x01;
    const sha256 = createHash('sha256').update(original).digest('hex');
    const sm3 = createHash('sm3').update(original).digest('hex');
    let record: any;

    before(async () => {
      record = await anchorFile(original, `report-${RUN}.txt`);
      expect(record.sha256 ?? record.record?.sha256).to.equal(sha256);
    });

    it('a dropped file is hashed in the browser and found: block, time in CST, endorsing counties, SM3 matching', async () => {
      const expected = await call('GET', `public/evidence/${sha256}`);
      expect(expected.status).to.equal(200);
      const page = await context.newPage();
      const sent: string[] = [];
      page.on('request', (r) => sent.push(`${r.method()} ${r.url()}`));
      await open(page, '/verify');
      await dropFile(page, '[data-drop="verify-file"]', original, 'report.txt');
      await page.locator('[data-test="verify-anchored"]').waitFor();
      expect(await page.locator('[data-test="file-sha256"]').textContent()).to.equal(sha256);
      expect(await page.locator('[data-test="file-sm3"]').textContent()).to.equal(sm3);
      expect(await page.locator('[data-test="verify-block"]').textContent()).to.equal(String(expected.body.blockNumber));
      // The browser runs in Berlin: the time is still shown in CST, as the gateway states it.
      expect(await page.locator('[data-test="verify-time"]').textContent()).to.equal(expected.body.anchoredAtCst);
      const counties = (await page.locator('[data-test="verify-counties"]').textContent()) ?? '';
      expect(expected.body.endorsingCounties.length).to.be.greaterThan(0);
      for (const c of expected.body.endorsingCounties) expect(counties).to.include(c.chineseName);
      await page.locator('[data-test="verify-sm3-match"]').waitFor();
      // Only the digest went to the gateway: no upload.
      expect(sent.filter((s) => s.startsWith('POST'))).to.deep.equal([]);
      expect(sent.some((s) => s.endsWith(`/api/v1/public/evidence/${sha256}`))).to.equal(true);
      await screenshot(page, 'portal-verify-found');
      await readmeShot(page, 'verify-evidence');
    });

    it('the copy with one byte changed, dropped or chosen through the labelled input, is not found', async () => {
      const page = await context.newPage();
      await open(page, '/verify');
      await dropFile(page, '[data-drop="verify-file"]', changed, 'report.txt');
      await page.locator('[data-test="verify-not-found"]').waitFor();
      expect(await page.locator('[data-test="file-sha256"]').textContent()).to.equal(createHash('sha256').update(changed).digest('hex'));
      expect(await page.locator('[data-test="verify-anchored"]').count()).to.equal(0);
      expect(await page.locator('[data-test="verify-not-found"]').textContent()).to.include('未找到该摘要的存证记录');
      await screenshot(page, 'portal-verify-changed');

      // The same through the file input (its label names it), then the original the same way.
      await page.getByLabel('把文件拖到这里，或选择文件').setInputFiles({ name: 'report.txt', mimeType: 'text/plain', buffer: changed });
      await page.locator('[data-test="verify-not-found"]').waitFor();
      await page.locator('#verify-file').setInputFiles({ name: 'report.txt', mimeType: 'text/plain', buffer: original });
      await page.locator('[data-test="verify-anchored"]').waitFor();
      expect(await page.locator('[data-test="verify-not-found"]').count()).to.equal(0);
      expect(await page.locator('[data-test="file-sha256"]').textContent()).to.equal(sha256);
    });

    it('shows progress while a big file is hashed, then its digests', async () => {
      const page = await context.newPage();
      await open(page, '/verify');
      // What the progress bar said while it ran, recorded in the page (polling from here could miss it on a fast machine).
      await inPage(
        page,
        `(() => { window.__seen = []; new MutationObserver(() => { const bar = document.querySelector('[data-test="verify-progress"] [role="progressbar"]');
          if (bar) window.__seen.push(Number(bar.getAttribute('aria-valuenow'))); }).observe(document.body, { subtree: true, childList: true, attributes: true }); })()`,
      );
      const big = Buffer.alloc(8 * 1024 * 1024, RUN % 251);
      await page.locator('#verify-file').setInputFiles({ name: 'big.bin', mimeType: 'application/octet-stream', buffer: big });
      await page.locator('[data-test="verify-result"]').waitFor({ timeout: 60_000 });
      const seen = await inPage<number[]>(page, 'window.__seen');
      expect(
        seen.some((p) => p > 0 && p < 100),
        `progress seen: ${seen.join(',')}`,
      ).to.equal(true);
      expect(await page.locator('[data-test="file-sha256"]').textContent()).to.equal(createHash('sha256').update(big).digest('hex'));
      expect(await page.locator('[data-test="file-sm3"]').textContent()).to.equal(createHash('sm3').update(big).digest('hex'));
      expect(await page.locator('[data-test="verify-progress"]').count(), 'gone when done').to.equal(0);
    });

    it('the certificate’s QR link /#/verify/<sha256> shows that record at once and compares a dropped file with it', async () => {
      const page = await context.newPage();
      await open(page, `/verify/${sha256}`);
      await page.locator('[data-test="verify-linked-anchored"]').waitFor();
      expect(await page.locator('[data-test="verify-linked"]').textContent()).to.equal(sha256);
      const expected = (await call('GET', `public/evidence/${sha256}`)).body;
      expect(await page.locator('[data-test="linked-block"]').textContent()).to.equal(String(expected.blockNumber));
      expect(await page.locator('[data-test="linked-time"]').textContent()).to.equal(expected.anchoredAtCst);
      await screenshot(page, 'portal-verify-qr');
      // The gateway's own link (what the certificate's QR code holds) is this route.
      expect(expected.verificationUrl).to.match(new RegExp(`/#/verify/${sha256}$`));

      await dropFile(page, '[data-drop="verify-file"]', changed, 'report.txt');
      await page.locator('[data-test="verify-file-differs"]').waitFor();
      expect(await page.locator('[data-test="verify-file-matches"]').count()).to.equal(0);
      await screenshot(page, 'portal-verify-qr-differs');
      await dropFile(page, '[data-drop="verify-file"]', original, 'report.txt');
      await page.locator('[data-test="verify-file-matches"]').waitFor();
      await page.locator('[data-test="verify-sm3-match"]').waitFor();
      await screenshot(page, 'portal-verify-qr-matches');
    });

    it('a link with a digest not anchored says so (readably: axe); one that is no digest is refused before asking', async () => {
      const checked = await newContext({ forAxe: true });
      try {
        const page = await checked.newPage();
        const asked: string[] = [];
        page.on('request', (r) => r.url().includes('/public/evidence/') && asked.push(r.url()));
        await open(page, `/verify/${createHash('sha256').update(changed).digest('hex')}`);
        await page.locator('[data-test="verify-linked-not-found"]').waitFor();
        expect(await page.locator('[data-test="verify-linked-not-found"]').textContent()).to.include('未找到该摘要的存证记录');
        expect(await axeViolations(page)).to.deep.equal([]);
        await open(page, '/verify/not-a-digest');
        await page.locator('[data-test="verify-bad-link"]').waitFor();
        expect(await page.locator('[data-test="verify-linked"]').count()).to.equal(0);
        expect(asked).to.have.length(1);
        await screenshot(page, 'portal-verify-bad-link');
      } finally {
        await checked.close();
      }
    });

    it('works on a phone-sized screen and passes axe-core’s WCAG A/AA checks', async () => {
      const phone = await newContext({ phone: true, forAxe: true });
      try {
        const page = await phone.newPage();
        await open(page, `/verify/${sha256}`);
        await page.locator('[data-test="verify-linked-anchored"]').waitFor();
        await page.locator('#verify-file').setInputFiles({ name: 'report.txt', mimeType: 'text/plain', buffer: original });
        await page.locator('[data-test="verify-file-matches"]').waitFor();
        await noHorizontalScroll(page);
        await screenshot(page, 'portal-verify-phone');
        expect(await axeViolations(page)).to.deep.equal([]);
      } finally {
        await phone.close();
      }
    });
  });

  describe('fund rounds, trade statistics and price indexes as charts (透明治理)', () => {
    let roundId: string;
    let period: string;

    before(async () => {
      // A finalized round of this run's own: a single past day nobody else's round covers.
      const finance = { [LD]: await key(LD, 'finance'), [HX]: await key(HX, 'finance'), [FX]: await key(FX, 'finance') };
      await created('POST', 'fund/contributions', finance[LD] as string, { amountFen: 1_000_000, paymentRef: `treasury:portal-${RUN}` });
      for (let attempt = 0; !roundId; attempt++) {
        period = new Date(Date.UTC(2019, 0, 1) + ((RUN + attempt * 7919) % 2000) * 86_400_000).toISOString().slice(0, 10);
        const res = await call('POST', 'fund/rounds', finance[HX], {
          periodFrom: period,
          periodTo: period,
          poolFen: 600_000,
          metrics: [
            {
              metric: 'indicator',
              name: 'forest-cover',
              weightBp: 10000,
              values: [
                { county: LD, value: 3 },
                { county: HX, value: 2 },
                { county: FX, value: 1 },
              ],
            },
          ],
        });
        if (res.status === 201) roundId = res.body.result.id;
        else if (attempt > 5 || res.body.code !== 'RULE_VIOLATION') expect.fail(JSON.stringify(res.body));
      }
      await created('POST', `fund/rounds/${roundId}/approvals`, finance[LD] as string);
      await created('POST', `fund/rounds/${roundId}/approvals`, finance[FX] as string);
      await created('POST', `fund/rounds/${roundId}/finalization`, finance[HX] as string);
    });

    it('fund: each county’s allocation of a finalized round in 元 and as a chart drawn', async () => {
      const page = await context.newPage();
      await open(page, '/fund');
      await page.locator('#fund-round').waitFor();
      // Choose this run's round (other files may have finalized rounds of their own).
      await page.locator('[data-test="fund-round"]').click();
      await page.locator('.el-select-dropdown__item', { hasText: roundId }).click();
      await page.locator(`[data-round="${roundId}"]`).waitFor();
      await page.locator('[data-test="fund-chart"][data-drawn="true"]').waitFor();
      expect(await page.locator('[data-test="fund-pool"]').textContent()).to.equal('6,000.00');
      // 3 : 2 : 1 of 6,000.00 元, by county (FengxianMSP, HuixianMSP, LiangdangMSP).
      expect(await page.locator('[data-test="fund-amount"]').allTextContents()).to.deep.equal(['1,000.00', '2,000.00', '3,000.00']);
      const table = (await page.locator('[data-test="fund-allocations"]').textContent()) ?? '';
      expect(table).to.include('两当县').and.include('徽县').and.include('凤县');
      expect(await page.locator('[data-test="fund-chart"]').getAttribute('aria-label')).to.include(roundId);
      await screenshot(page, 'portal-fund');
      await readmeShot(page, 'fund-allocations');
    });

    it('trades: each county’s settled cross-region trade per day as a chart drawn, the totals as the API states them', async () => {
      const page = await context.newPage();
      await open(page, '/trades');
      await page.locator('[data-test="trades-chart"][data-drawn="true"]').waitFor();
      const to = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
      const from = new Date(Date.now() + 8 * 3600_000 - 29 * 86_400_000).toISOString().slice(0, 10);
      for (const county of [LD, HX, FX]) {
        const api = await call('GET', `public/trades?county=${county}&periodFrom=${from}&periodTo=${to}`);
        expect(api.status).to.equal(200);
        const yuan =
          (BigInt(api.body.volumeFen) / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',') +
          '.' +
          (BigInt(api.body.volumeFen) % 100n).toString().padStart(2, '0');
        expect(await page.locator(`[data-test="trades-volume"][data-county="${county}"]`).textContent(), county).to.equal(yuan);
      }
      // The demo seed sold a Liangdang product to Huixian today: Liangdang's line has volume.
      expect(await page.locator(`[data-test="trades-volume"][data-county="${LD}"]`).textContent()).to.not.equal('0.00');
      await screenshot(page, 'portal-trades');
    });

    it('trades: a period that ends before it starts is refused on the page, nothing asked', async () => {
      const page = await context.newPage();
      await open(page, '/trades');
      await page.locator('[data-test="trades-chart"][data-drawn="true"]').waitFor();
      const asked: string[] = [];
      page.on('request', (r) => r.url().includes('/public/trades') && asked.push(r.url()));
      await page.locator('#trades-from').fill('2030-01-02');
      await page.locator('#trades-from').press('Enter');
      await page.locator('p[role="alert"]').filter({ hasText: '结束日期不能早于开始日期' }).waitFor();
      expect(await page.locator('[data-test="trades-show"]').isDisabled()).to.equal(true);
      await page.locator('#trades-from').press('Enter');
      expect(asked).to.deep.equal([]);
    });

    it('prices: each category’s index in 元 as the API states it, and as a chart drawn', async () => {
      // The demo seed settled a sale; its price counts for the index 60 s (INDEX_LAG_MS) after the settlement.
      let api = await call('GET', 'public/price-indexes?limit=50');
      for (let i = 0; i < 45 && api.status === 200 && api.body.items.length === 0; i++) {
        await sleep(2000);
        api = await call('GET', 'public/price-indexes?limit=50');
      }
      expect(api.status).to.equal(200);
      expect(api.body.items.length, 'the demo seed settled a sale').to.be.greaterThan(0);
      const page = await context.newPage();
      await open(page, '/prices');
      await page.locator('[data-test="prices-chart"][data-drawn="true"]').waitFor();
      for (const i of api.body.items) {
        const yuan = `${Math.floor(i.indexFen / 100).toLocaleString('en-US')}.${String(i.indexFen % 100).padStart(2, '0')}`;
        expect(await page.locator(`[data-test="prices-index"][data-category="${i.category}"]`).textContent(), i.category).to.equal(yuan);
      }
      await screenshot(page, 'portal-prices');
    });

    for (const [route, ready] of [
      ['/fund', '[data-test="fund-chart"][data-drawn="true"]'],
      ['/trades', '[data-test="trades-chart"][data-drawn="true"]'],
      ['/prices', '[data-test="prices-chart"][data-drawn="true"]'],
      ['/', '[data-card="prices"]'],
    ] as const) {
      it(`${route}: works on a phone-sized screen and passes axe-core’s WCAG A/AA checks`, async () => {
        const phone = await newContext({ phone: true, forAxe: true });
        try {
          const page = await phone.newPage();
          await open(page, route);
          await page.locator(ready).waitFor();
          await noHorizontalScroll(page);
          await screenshot(page, `portal${route === '/' ? '-home' : route.replace('/', '-')}-phone`);
          expect(await axeViolations(page)).to.deep.equal([]);
        } finally {
          await phone.close();
        }
      });
    }

    it('in English too: the same chart, English words, amounts still in yuan with two decimals', async () => {
      const page = await context.newPage();
      await open(page, '/prices');
      await page.locator('[data-lang="en"]').click();
      await page.locator('h1', { hasText: 'Price indexes' }).waitFor();
      await page.locator('[data-test="prices-chart"][data-drawn="true"]').waitFor();
      expect((await page.locator('[data-test="prices-table"]').textContent()) ?? '').to.include('Price index (yuan)');
      await screenshot(page, 'portal-prices-en');
      await page.locator('[data-lang="zh"]').click();
    });
  });
});
