import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { BrowserContext, Page } from 'playwright-core';
import { verifyProof } from '../../gateway-api/src/verify/checks';
import { axeViolations, demoGateway, inPage, newContext, open, screenshot, signIn } from './console-fixture';

/**
 * The auditor workspace in Chromium: the chain audit with its progress bar, the block explorer,
 * a proof bundle downloaded and verified offline, the query trail and its verification.
 */
const RUN = Date.now().toString(36);

async function auditorPage(context: BrowserContext, mspId = 'LiangdangMSP'): Promise<Page> {
  const page = await context.newPage();
  await signIn(page, mspId, 'auditor');
  await open(page, '/work/auditor');
  await page.locator('[data-test="auditor-workspace"]').waitFor();
  return page;
}

async function call(method: string, path: string, key: string, body?: unknown): Promise<Response> {
  const g = await demoGateway();
  return fetch(`${g.baseUrl}/api/v1${path}`, {
    method,
    headers: {
      authorization: `Bearer ${key}`,
      ...(body !== undefined ? { 'content-type': 'application/json', 'idempotency-key': `t-${RUN}-${Math.random()}` } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
}

/** Grows the ledger by `n` transactions (contributions of 1 fen), twenty at a time: bounded setup for a longer audit. */
async function growLedger(n: number): Promise<void> {
  const g = await demoGateway();
  const key = g.key('FengxianMSP', 'finance');
  for (let i = 0; i < n; i += 20) {
    const batch = Array.from({ length: Math.min(20, n - i) }, (_, j) =>
      call('POST', '/fund/contributions', key, { amountFen: 1, paymentRef: `audit-grow-${RUN}-${i + j}` }),
    );
    for (const r of await Promise.all(batch)) expect(r.status).to.equal(201);
  }
}

describe('console: auditor workspace (Chromium)', function () {
  this.timeout(240_000);
  const contexts: BrowserContext[] = [];
  const context = async (options: { phone?: boolean; forAxe?: boolean } = {}) => {
    const c = await newContext(options);
    contexts.push(c);
    return c;
  };
  before(async () => {
    await demoGateway();
  });
  after(async () => {
    for (const c of contexts) await c.close();
  });

  it('runs the chain audit with a progress bar that reaches 100% and shows the verdict', async () => {
    await growLedger(600);
    const page = await auditorPage(await context());
    // What the progress bar shows, sampled in the page every 10 ms.
    await inPage(
      page,
      `window.__seen = []; setInterval(() => { const el = document.querySelector('[data-test="audit-progress"] [role="progressbar"]'); if (el) window.__seen.push(Number(el.getAttribute('aria-valuenow'))); }, 10); 0`,
    );
    const audits: string[] = [];
    page.on('request', (r) => r.url().includes('/api/v1/audit/ledger') && audits.push(new URL(r.url()).pathname));
    const verdictResponse = page.waitForResponse((r) => r.url().endsWith('/api/v1/audit/ledger') && r.status() === 200);
    await page.locator('[data-test="start-audit"]').click();
    const verdict = (await (await verdictResponse).json()) as { ok: boolean; height: number; milliseconds: number; signaturesChecked: boolean };
    await page.locator('[data-test="audit-verdict"][data-ok="true"]').waitFor();
    expect(verdict.ok).to.equal(true);
    expect(verdict.signaturesChecked).to.equal(true);
    const bar = page.locator('[data-test="audit-progress"] [role="progressbar"]');
    expect(await bar.getAttribute('aria-valuenow')).to.equal('100');
    expect(await bar.getAttribute('aria-label')).to.equal('审计进度');
    expect(await page.locator('[data-test="audit-blocks"]').textContent()).to.include(`已核验 ${verdict.height} / ${verdict.height} 个区块`);
    expect(await page.locator('[data-test="audit-verdict"]').textContent()).to.include('链完整');
    const seen = await inPage<number[]>(page, 'window.__seen');
    // Progress is reported every 100 blocks and polled every 150 ms: an audit of a second or more shows some of it.
    if (verdict.milliseconds >= 1000)
      expect(
        seen.some((v) => v > 0 && v < 100),
        `progress seen during a ${verdict.milliseconds} ms audit: ${seen.join(',')}`,
      ).to.equal(true);
    expect(
      seen.every((v, i) => i === 0 || v >= (seen[i - 1] as number)),
      'progress never goes back',
    ).to.equal(true);
    // The bar was fed by the progress route: the page asked for one audit only, and none runs now.
    expect(audits.filter((u) => u === '/api/v1/audit/ledger')).to.have.length(1);
    if (verdict.milliseconds >= 1000) expect(audits.filter((u) => u === '/api/v1/audit/ledger/progress').length).to.be.greaterThan(1);
    const g = await demoGateway();
    expect(await (await call('GET', '/audit/ledger/progress', g.key('LiangdangMSP', 'auditor'))).json()).to.deep.equal({ running: null });
    await screenshot(page, 'auditor-chain-audit');
  });

  it('browses blocks newest first, a block’s transactions, a transaction’s creator, endorsers and keys, and finds by ID', async () => {
    const page = await auditorPage(await context());
    await page.locator('#tab-explorer').click();
    const first = page.locator('[data-test="blocks"] [data-open-block]').first();
    await first.waitFor();
    const rows = await page.locator('[data-test="blocks"] [data-open-block]').count();
    expect(rows).to.equal(20);
    const newest = Number(await first.getAttribute('data-open-block'));
    await page.locator('[data-test="blocks-more"]').click();
    await page.locator('[data-test="blocks"] [data-open-block]').nth(20).waitFor();
    expect(Number(await page.locator('[data-test="blocks"] [data-open-block]').nth(20).getAttribute('data-open-block'))).to.equal(newest - 20);
    await screenshot(page, 'auditor-explorer-blocks');

    // The sixth newest block: open it, then its first transaction.
    await page.locator('[data-test="blocks"] [data-open-block]').nth(5).click();
    const block = page.locator('[data-test="block-detail"]');
    await block.waitFor();
    const number = Number(await block.getAttribute('data-block'));
    expect(number).to.equal(newest - 5);
    await block.locator('[data-open-tx]').first().click();
    const tx = page.locator('[data-test="tx-detail"]');
    await tx.waitFor();
    const txId = (await tx.getAttribute('data-tx')) as string;
    expect(txId).to.match(/^[0-9a-f]{64}$/);
    expect(await page.locator('[data-test="tx-creator"]').textContent()).to.match(/MSP · \S+/);
    expect(await page.locator('[data-test="tx-endorsers"]').textContent()).to.match(/MSP/);
    const recorded = (await (await call('GET', `/transactions/${txId}`, (await demoGateway()).key('LiangdangMSP', 'auditor'))).json()) as {
      validationCode: string;
      transactionName: string;
    };
    expect(await page.locator('[data-test="tx-validation"]').textContent()).to.equal(recorded.validationCode);
    expect(await page.locator('[data-test="tx-function"]').textContent()).to.equal(recorded.transactionName);
    expect(await page.locator('[data-test="tx-write-keys"] li').count()).to.be.greaterThan(0);
    await screenshot(page, 'auditor-explorer-transaction');

    // Found again by its ID, and from there back to its block and the block before it.
    await page.locator('#explorer-query').fill(txId);
    await page.locator('[data-test="explorer-go"]').click();
    await page.locator(`[data-test="tx-detail"][data-tx="${txId}"] [data-test="tx-block"]`).click();
    await page.locator(`[data-test="block-detail"][data-block="${number}"]`).waitFor();
    await page.locator('[data-test="previous-block"]').click();
    await page.locator(`[data-test="block-detail"][data-block="${number - 1}"]`).waitFor();
    // An unknown transaction ID (and no block has it as hash): NOT_FOUND in Chinese.
    await page.locator('#explorer-query').fill('0'.repeat(64));
    await page.locator('[data-test="explorer-go"]').click();
    const alert = page.locator('[role="alert"][data-code="NOT_FOUND"]');
    await alert.waitFor();
    expect(await alert.textContent()).to.include('未找到');
  });

  it('downloads an anchored file’s proof bundle, which parses and verifies offline with the file', async () => {
    const g = await demoGateway();
    // Setup: a regulator anchors a file (not what this test is about, so through the API).
    const content = Buffer.from(`控制台审计证明 ${RUN}\n`, 'utf8');
    const sha256 = createHash('sha256').update(content).digest('hex');
    const form = new FormData();
    form.append('description', 'console proof test');
    form.append('file', new Blob([content], { type: 'text/plain' }), 'proof.txt');
    const uploaded = await fetch(`${g.baseUrl}/api/v1/evidence`, {
      method: 'POST',
      headers: { authorization: `Bearer ${g.key('LiangdangMSP', 'regulator')}`, 'idempotency-key': `proof-${RUN}` },
      body: form,
    });
    expect(uploaded.status).to.equal(201);

    const page = await auditorPage(await context());
    await page.locator('#tab-proof').click();
    // The digest computed in the browser from the dropped (here: chosen) file.
    await page.locator('#proof-file').setInputFiles({ name: 'proof.txt', mimeType: 'text/plain', buffer: content });
    // Polled from here: a string predicate polled in the page is eval, which the console's CSP refuses.
    const digest = page.locator('#proof-digest');
    for (const until = Date.now() + 15_000; (await digest.inputValue()) !== sha256; await new Promise((r) => setTimeout(r, 50))) {
      if (Date.now() > until) expect(await digest.inputValue(), 'the digest computed in the browser').to.equal(sha256);
    }
    const download = page.waitForEvent('download');
    await page.locator('[data-test="download-proof"]').click();
    const file = await (await download).path();
    expect((await download).suggestedFilename()).to.equal(`proof-${sha256}.json`);
    const bundle = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    const outcomes = await verifyProof(bundle, content);
    expect(outcomes.filter((o) => !o.ok)).to.deep.equal([]);
    expect(outcomes.length).to.be.greaterThan(5);
    // A changed byte does not verify against that bundle.
    const changed = Buffer.from(content);
    changed[0] = (changed[0] as number) ^ 1;
    expect((await verifyProof(bundle, changed)).some((o) => !o.ok)).to.equal(true);
    await screenshot(page, 'auditor-proof');

    // A digest nothing was anchored for: NOT_FOUND in Chinese, and no file saved.
    let saved = false;
    page.once('download', () => (saved = true));
    await page.locator('#proof-digest').fill('ab'.repeat(32));
    await page.locator('[data-test="download-proof"]').click();
    const alert = page.locator('[role="alert"][data-code="NOT_FOUND"]');
    await alert.waitFor();
    expect(await alert.textContent()).to.include('未找到');
    expect(saved).to.equal(false);
  });

  it('lists the county’s query trail, verifies it against its anchors, and anchors it', async () => {
    const g = await demoGateway();
    const code = g.enterprises.HuixianMSP as string;
    // Setup: an enforcement officer of Liangdang looks a code up (through the API).
    expect((await call('GET', `/blacklist/check/${code}`, g.key('LiangdangMSP', 'enforcement'))).status).to.equal(200);
    const page = await auditorPage(await context());
    await page.locator('#tab-trail').click();
    const row = page.locator('[data-test="trail-entries-table"] tr', { hasText: code }).first();
    await row.waitFor();
    expect(await row.textContent())
      .to.include('enforcement')
      .and.include('单条查询');
    await page.locator('[data-test="trail-anchor"]').click();
    await page.locator('[data-test="trail-anchored"]').waitFor();
    await page.locator('[data-test="trail-verify"]').click();
    const verdict = page.locator('[data-test="trail-verification"][data-ok="true"]');
    await verdict.waitFor();
    expect(Number(await page.locator('[data-test="trail-entries"]').textContent())).to.be.greaterThan(0);
    await screenshot(page, 'auditor-query-trail');
    // Another county's trail is verified too (counts only), but its entries are not listed here.
    await page.locator('#trail-county').selectOption('HuixianMSP');
    await page.locator('[data-test="trail-verify"]').click();
    await page.locator('[data-test="trail-verification"]', { hasText: 'HuixianMSP' }).waitFor();
  });

  it('works on a phone-sized screen and passes axe-core’s WCAG A/AA checks', async () => {
    const page = await auditorPage(await context({ phone: true, forAxe: true }));
    await page.locator('[data-test="start-audit"]').click();
    await page.locator('[data-test="audit-verdict"]').waitFor();
    expect(await inPage<number>(page, 'document.documentElement.scrollWidth'), 'no horizontal scrolling on a 390 px screen').to.be.at.most(390);
    await screenshot(page, 'auditor-phone');
    expect(await axeViolations(page)).to.deep.equal([]);
    await page.locator('#tab-explorer').click();
    await page.locator('[data-test="blocks"] [data-open-block]').first().click();
    await page.locator('[data-test="block-detail"] [data-open-tx]').first().click();
    await page.locator('[data-test="tx-detail"]').waitFor();
    expect(await inPage<number>(page, 'document.documentElement.scrollWidth')).to.be.at.most(390);
    await screenshot(page, 'auditor-explorer-phone');
    expect(await axeViolations(page)).to.deep.equal([]);
  });
});
