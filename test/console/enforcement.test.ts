import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { BrowserContext, Page } from 'playwright-core';
import { buildCreditCode } from '../../chaincode/src/public';
import { axeViolations, demoGateway, inPage, newContext, open, screenshot, signIn, callAs } from './console-fixture';

/** A REST call with a demo member's key, for setting up what a test is not about and for checking what was written. */
const call = callAs;

const L = 'LiangdangMSP';
const LIANGDANG_DIVISION = '621228';
// This file's own subjects: serials no other file uses (the demo seed takes serial 1).
let serial = 700_000_000 + Math.floor(Math.random() * 90_000_000);
const newCode = () => buildCreditCode('91', LIANGDANG_DIVISION, serial++);

/** A registered Liangdang enterprise with one penalised violation; its code and the event's ID. */
async function subjectWithViolation(name: string): Promise<{ code: string; eventId: string }> {
  const code = newCode();
  expect((await call(L, 'regulator', 'POST', '/subjects', { creditCode: code, name })).status).to.equal(201);
  const event = await call<{ result: { id: string; outcome: string } }>(L, 'enforcement', 'POST', '/credit-events', {
    subjectId: code,
    kind: 'default',
    severity: 'serious',
    harmfulConsequence: true,
    summary: '逾期未履行合同',
    evidenceRefs: ['doc-2026-001'],
  });
  expect(event.status).to.equal(201);
  expect(event.body.result.outcome).to.equal('penalty');
  return { code, eventId: event.body.result.id };
}

/** A CST calendar date `days` after today. */
function cstDayPlus(days: number): string {
  return new Date(Date.now() + 8 * 3600_000 + days * 86_400_000).toISOString().slice(0, 10);
}

/** Waits until the inbox shows the case in exactly this status. */
async function status(page: Page, caseId: string, shown: string): Promise<void> {
  await page
    .locator(`[data-case-status="${caseId}"]`)
    .filter({ hasText: new RegExp(`^${shown}$`) })
    .waitFor();
}

async function openTab(page: Page, name: string): Promise<void> {
  await page.locator(`#tab-${name}`).click();
}

describe('console: the enforcement workspace (Chromium)', function () {
  this.timeout(180_000);
  let context: BrowserContext;
  let page: Page;
  before(async () => {
    await demoGateway();
  });
  beforeEach(async () => {
    context = await newContext();
    page = await context.newPage();
    await signIn(page, L, 'enforcement');
    await open(page, '/work/enforcement');
    await page.locator('#bulk-codes').waitFor();
  });
  afterEach(async () => context.close());

  it('checks one code: the demo enterprise is not blacklisted, a malformed code is refused with its Chinese message', async () => {
    const g = await demoGateway();
    await page.locator('#check-code').fill(g.enterprises[L] as string);
    await page.locator('[data-test="check-one"]').click();
    const result = page.locator('[data-test="single-result"]');
    await result.waitFor();
    expect(await result.getAttribute('data-blacklisted')).to.equal('false');
    expect(await result.textContent()).to.include('未列入失信名单');
    await page.locator('#check-code').fill('91621228NOTACODE12');
    await page.locator('[data-test="check-one"]').click();
    const alert = page.locator('[role="alert"][data-code="INVALID_ARGUMENT"]');
    await alert.waitFor();
    expect(await alert.textContent()).to.include('输入有误');
    await screenshot(page, 'enforcement-check-single');
  });

  it('checks a pasted list in bulk: one result per code in order, malformed codes reported in their row', async () => {
    const g = await demoGateway();
    const unregistered = newCode();
    const individual = `ind-${'ab'.repeat(32)}`;
    const codes = [g.enterprises[L] as string, 'NOT-A-CODE', unregistered, individual];
    await page.locator('#bulk-codes').fill(codes.join('\n'));
    expect(await page.locator('[data-test="bulk-count"]').textContent()).to.include('4');
    await page.locator('[data-test="bulk-run"]').click();
    const summary = page.locator('[data-test="bulk-summary"]');
    await summary.waitFor();
    expect(await summary.textContent()).to.include('共 4 个：失信 0 个，代码有误 1 个');
    expect(await page.locator('[data-test="bulk-progress"]').getAttribute('data-done')).to.equal('4');
    expect(await page.locator(`[data-result="NOT-A-CODE"]`).textContent()).to.equal('代码有误');
    expect(await page.locator(`[data-result="${unregistered}"]`).textContent()).to.equal('未列入失信名单');
    const rows = await page.locator('[data-test="bulk-table"] tbody tr').allTextContents();
    // An individual's ID keeps its lower-case hex, so it is checked, not called malformed.
    expect(await page.locator(`[data-result="${individual}"]`).textContent()).to.equal('未列入失信名单');
    expect(rows).to.have.length(4);
    expect(rows[1]).to.include('invalid unified social credit code');
    await screenshot(page, 'enforcement-check-bulk-pasted');
  });

  it('checks an uploaded CSV of 1,000 codes with progress, pages the results and downloads them as CSV', async () => {
    const codes = Array.from({ length: 1000 }, () => newCode());
    const csv = '\uFEFFcode,name\r\n' + codes.map((c, i) => `${c},企业${i}`).join('\r\n') + '\r\n';
    // Every value the progress bar takes, seen in the page as it changes.
    await inPage(
      page,
      `(() => { window.__progress = []; new MutationObserver(() => { const el = document.querySelector('[data-test="bulk-progress"]'); const v = el && el.getAttribute('data-done'); if (v !== null && window.__progress.at(-1) !== v) window.__progress.push(v); }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-done'] }); return true; })()`,
    );
    await page.locator('#bulk-file').setInputFiles({ name: 'codes.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
    await page.locator('[data-test="bulk-count"]', { hasText: '1000' }).waitFor();
    await page.locator('[data-test="bulk-run"]').click();
    await page.locator('[data-test="bulk-summary"]').waitFor();
    expect(await page.locator('[data-test="bulk-summary"]').textContent()).to.include('共 1000 个：失信 0 个，代码有误 0 个');
    const seen = (await inPage<string[]>(page, 'window.__progress')).map(Number);
    expect(seen.at(-1)).to.equal(1000);
    expect(seen.filter((v) => v > 0 && v < 1000).length, `the bar moved through ${seen.join(',')}`).to.be.at.least(5);
    expect(seen).to.deep.equal([...seen].sort((a, b) => a - b));
    expect(await page.locator('[data-test="bulk-progress"] .el-progress').getAttribute('aria-valuenow')).to.equal('100');
    // 50 rows a page; the first page starts with the first code of the file.
    expect(await page.locator('[data-test="bulk-table"] tbody tr').count()).to.equal(50);
    expect(await page.locator('[data-test="bulk-table"] tbody tr').first().textContent()).to.include(codes[0]);
    await screenshot(page, 'enforcement-check-bulk-csv');

    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test="bulk-download"]').click()]);
    expect(download.suggestedFilename()).to.match(/^blacklist-check-\d{4}-\d{2}-\d{2}\.csv$/);
    const text = readFileSync(await download.path(), 'utf8');
    expect(text.startsWith('\uFEFF代码,结果,限制措施,异议中,名单条目,问题说明\r\n')).to.equal(true);
    const lines = text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines).to.have.length(1001);
    expect(lines.slice(1).map((l) => l.split(',')[0])).to.deep.equal(codes);
    expect(lines[1]).to.equal(`${codes[0]},未列入失信名单,—,否,,`);
  });

  it('refuses more than 1,000 codes before sending anything', async () => {
    const sent: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/api/v1/blacklist/check')) sent.push(r.url());
    });
    const codes = Array.from({ length: 1001 }, (_, i) => buildCreditCode('91', LIANGDANG_DIVISION, 600_000_000 + i));
    await page.locator('#bulk-file').setInputFiles({ name: 'too-many.csv', mimeType: 'text/csv', buffer: Buffer.from(codes.join('\n'), 'utf8') });
    const warning = page.locator('[data-test="too-many"]');
    await warning.waitFor();
    expect(await warning.textContent()).to.include('一次最多核查 1,000 个代码，当前 1001 个');
    expect(await page.locator('[data-test="bulk-run"]').isDisabled()).to.equal(true);
    expect(sent).to.deep.equal([]);
    await screenshot(page, 'enforcement-check-too-many');
  });

  it('issues an entry on a recorded violation, in CST dates, and the check then shows it', async () => {
    const { code, eventId } = await subjectWithViolation('控制台发布测试企业');
    await openTab(page, 'issue');
    await page.locator('#issue-subject').fill(code);
    await page.locator('[data-test="issue-load"]').click();
    await page.locator(`[data-basis="${eventId}"]`).check();
    await page.locator('#issue-reason').fill('严重违约，造成损失');
    await page.locator('#issue-legal-basis').fill('《县域统一大市场信用管理办法》第十二条');
    await page.locator('[data-measure="licensing"]').check();
    expect(await page.locator('#issue-start').inputValue()).to.equal(cstDayPlus(0));
    await page.locator('#issue-end').fill(cstDayPlus(90));
    expect(await page.locator('#issue-max-term').textContent()).to.include('严重 36');
    await page.locator('#issue-evidence').fill('decision-2026-017');
    await page.locator('[data-test="issue-submit"]').click();
    const issued = page.locator('[data-test="issued"]');
    await issued.waitFor();
    const entryId = (await issued.getAttribute('data-entry')) as string;
    expect(entryId).to.match(/^bl-/);
    expect(await issued.textContent()).to.include(`已发布失信名单条目 ${entryId}`);
    await screenshot(page, 'enforcement-issue-done');

    await openTab(page, 'check');
    await page.locator('#check-code').fill(code);
    await page.locator('[data-test="check-one"]').click();
    const result = page.locator('[data-test="single-result"]');
    await page.locator('[data-test="single-result"][data-blacklisted="true"]').waitFor();
    expect(await result.textContent()).to.include('已列入失信名单');
    expect(await result.textContent()).to.include('交易、许可');
    expect(await page.locator('[data-test="single-entry"]').textContent()).to.include(entryId);
    await screenshot(page, 'enforcement-check-listed');

    const ledger = await call<{ blacklisted: boolean; entries: Array<{ id: string; measures: string[]; endDate: string }> }>(
      L,
      'enforcement',
      'GET',
      `/blacklist/check/${code}`,
    );
    expect(ledger.body.blacklisted).to.equal(true);
    expect(ledger.body.entries.map((e) => e.id)).to.deep.equal([entryId]);
    expect(ledger.body.entries[0]?.measures).to.deep.equal(['trading', 'licensing']);
    expect(ledger.body.entries[0]?.endDate).to.equal(cstDayPlus(90));
  });

  it('refuses an end date beyond the longest term with RULE_VIOLATION in Chinese, and writes nothing', async () => {
    const { code, eventId } = await subjectWithViolation('控制台超期测试企业');
    await openTab(page, 'issue');
    await page.locator('#issue-subject').fill(code);
    await page.locator('[data-test="issue-load"]').click();
    await page.locator(`[data-basis="${eventId}"]`).check();
    await page.locator('#issue-reason').fill('严重违约');
    await page.locator('#issue-legal-basis').fill('第十二条');
    // A serious entry may last 36 months at most: 37 months is too long.
    await page.locator('#issue-end').fill(cstDayPlus(37 * 31));
    await page.locator('#issue-evidence').fill('decision-2026-018');
    await page.locator('[data-test="issue-submit"]').click();
    const alert = page.locator('[role="alert"][data-code="RULE_VIOLATION"]');
    await alert.waitFor();
    expect(await alert.textContent()).to.include('违反业务规则');
    expect(await alert.textContent()).to.include('longest term');
    expect(await page.locator('[data-test="issued"]').count()).to.equal(0);
    await screenshot(page, 'enforcement-issue-refused');
    const history = await call<{ items: unknown[] }>(L, 'enforcement', 'GET', `/subjects/${code}/blacklist`);
    expect(history.body.items).to.deep.equal([]);
    expect((await call<{ blacklisted: boolean }>(L, 'enforcement', 'GET', `/blacklist/check/${code}`)).body.blacklisted).to.equal(false);
  });

  it('moves a case lead through the inbox: accept, investigate, close; another is rejected with a reason', async () => {
    const code = newCode();
    expect((await call(L, 'regulator', 'POST', '/subjects', { creditCode: code, name: '线索测试企业' })).status).to.equal(201);
    const lead = (summary: string) =>
      call<{ result: { id: string } }>('HuixianMSP', 'enforcement', 'POST', '/cases', { toCounty: L, subjectId: code, summary, evidenceRefs: ['hx-lead-001'] });
    const first = (await lead('跨县销售不合格农产品')).body.result.id;
    const second = (await lead('重复移送的线索')).body.result.id;
    await openTab(page, 'cases');
    await page.locator(`[data-case-accept="${first}"]`).click();
    await status(page, first, '已受理');
    await page.locator(`[data-case-investigate="${first}"]`).click();
    await status(page, first, '调查中');
    await screenshot(page, 'enforcement-cases-inbox');
    await page.locator(`[data-case-close="${first}"]`).click();
    await page.locator('[data-finding="no-violation"]').check();
    await page.locator('#case-close-summary').fill('经核查未发现违法行为');
    await page.locator('#case-close-evidence').fill('ld-inspection-77');
    await screenshot(page, 'enforcement-cases-close');
    await page.locator('[data-test="case-close-submit"]').click();
    await status(page, first, '已结案');

    await page.locator(`[data-case-reject="${second}"]`).click();
    await page.locator('#case-reject-reason').fill('与已受理线索重复');
    await page.locator('[data-test="case-reject-submit"]').click();
    await status(page, second, '不予受理');

    const closed = await call<{ status: string; steps: Array<{ status: string; by: { mspId: string } }>; decision: { finding: string } }>(
      L,
      'enforcement',
      'GET',
      `/cases/${first}`,
    );
    expect(closed.body.status).to.equal('closed');
    expect(closed.body.steps.map((s) => s.status)).to.deep.equal(['transferred', 'accepted', 'investigating', 'closed']);
    expect(closed.body.decision.finding).to.equal('no-violation');
    expect((await call<{ status: string }>(L, 'enforcement', 'GET', `/cases/${second}`)).body.status).to.equal('rejected');
  });

  it('closes an investigated lead with a violation finding that blacklists the subject in the same transaction', async () => {
    const code = newCode();
    expect((await call(L, 'regulator', 'POST', '/subjects', { creditCode: code, name: '结案列入测试企业' })).status).to.equal(201);
    const id = (
      await call<{ result: { id: string } }>('HuixianMSP', 'enforcement', 'POST', '/cases', {
        toCounty: L,
        subjectId: code,
        summary: '跨县虚假宣传生态产品',
        evidenceRefs: ['hx-lead-002'],
      })
    ).body.result.id;
    await openTab(page, 'cases');
    await page.locator(`[data-case-accept="${id}"]`).click();
    await page.locator(`[data-case-investigate="${id}"]`).click();
    await page.locator(`[data-case-close="${id}"]`).click();
    await page.locator('[data-finding="violation"]').check();
    await page.locator('#case-violation-kind').selectOption('false-information');
    await page.locator('#case-violation-severity').selectOption('serious');
    await page.locator('#case-close-summary').fill('查实虚假宣传');
    await page.locator('#case-close-evidence').fill('ld-penalty-2026-09');
    await page.locator('[data-test="case-blacklist"]').check();
    await page.locator('#case-bl-reason').fill('虚假宣传，情节严重');
    await page.locator('#case-bl-legal-basis').fill('《反不正当竞争法》第八条');
    await page.locator('#case-bl-end').fill(cstDayPlus(180));
    await page.locator('#case-bl-evidence').fill('ld-decision-2026-09');
    await screenshot(page, 'enforcement-cases-close-blacklist');
    await page.locator('[data-test="case-close-submit"]').click();
    const shown = page.locator('[data-test="case-blacklisted"]');
    await shown.waitFor();
    const entryId = (await shown.getAttribute('data-entry')) as string;
    await status(page, id, '已结案');
    const closed = await call<{ decision: { finding: string; blacklistEntryId?: string; creditOutcome?: string } }>(L, 'enforcement', 'GET', `/cases/${id}`);
    expect(closed.body.decision.finding).to.equal('violation');
    expect(closed.body.decision.creditOutcome).to.equal('penalty');
    expect(closed.body.decision.blacklistEntryId).to.equal(entryId);
    const check = await call<{ blacklisted: boolean; entries: Array<{ id: string; endDate: string }> }>(L, 'enforcement', 'GET', `/blacklist/check/${code}`);
    expect(check.body.blacklisted).to.equal(true);
    expect(check.body.entries.map((e) => [e.id, e.endDate])).to.deep.equal([[entryId, cstDayPlus(180)]]);
  });

  it('resolves an objection: the entry stands, the objection is dismissed', async () => {
    const { code, eventId } = await subjectWithViolation('异议测试企业');
    const entry = await call<{ result: { id: string } }>(L, 'enforcement', 'POST', '/blacklist', {
      subjectId: code,
      basisEventIds: [eventId],
      reason: '严重违约',
      legalBasis: '第十二条',
      measures: ['trading'],
      startDate: cstDayPlus(0),
      endDate: cstDayPlus(60),
      decisionEvidenceRefs: ['decision-2026-020'],
    });
    expect(entry.status).to.equal(201);
    const entryId = entry.body.result.id;
    expect((await call(L, 'regulator', 'POST', `/subjects/${code}/merchants`, { member: 'merchant' })).status).to.equal(201);
    try {
      expect((await call(L, 'merchant', 'POST', `/blacklist/${entryId}/objection`, { grounds: '合同已补充履行' })).status).to.equal(201);
      await openTab(page, 'objections');
      await page.locator(`[data-objection-resolve="${entryId}"]`).click();
      await page.locator('[data-test="objection-grounds"]').waitFor();
      expect(await page.locator('[data-test="objection-grounds"]').textContent()).to.equal('合同已补充履行');
      await page.locator('[data-decision="dismissed"]').check();
      await page.locator('#objection-note').fill('补充履行不影响已发生的违约事实');
      await screenshot(page, 'enforcement-objection-resolve');
      await page.locator('[data-test="objection-submit"]').click();
      await page.locator(`[data-objection-resolve="${entryId}"]`).waitFor({ state: 'detached' });
      const after = await call<{ underObjection: boolean; status: string; objections: Array<{ status: string; note?: string }> }>(
        L,
        'enforcement',
        'GET',
        `/blacklist/${entryId}`,
      );
      expect(after.body.underObjection).to.equal(false);
      expect(after.body.objections.map((o) => o.status)).to.deep.equal(['dismissed']);
      expect(after.body.objections[0]?.note).to.equal('补充履行不影响已发生的违约事实');
    } finally {
      await call(L, 'regulator', 'DELETE', `/subjects/${code}/merchants/merchant`);
    }
  });

  it('works on a phone-sized screen and passes axe-core’s WCAG A/AA checks on each tab', async () => {
    const phone = await newContext({ phone: true, forAxe: true });
    try {
      const p = await phone.newPage();
      await signIn(p, L, 'enforcement');
      await open(p, '/work/enforcement');
      await p.locator('#bulk-codes').waitFor();
      for (const tab of ['check', 'issue', 'cases', 'objections']) {
        await openTab(p, tab);
        await p.waitForTimeout(300);
        const width = await inPage<number>(p, 'document.documentElement.scrollWidth');
        expect(width, `no horizontal scrolling on a 390 px screen (${tab})`).to.be.at.most(390);
        await screenshot(p, `enforcement-${tab}-phone`);
        expect(await axeViolations(p), tab).to.deep.equal([]);
      }
    } finally {
      await phone.close();
    }
  });

  it('speaks English on the switch, the refusal included', async () => {
    await page.locator('[data-lang="en"]').click();
    expect(await page.locator('h1').textContent()).to.equal('Enforcement workspace');
    expect(await page.locator('#tab-cases').textContent()).to.equal('Case-lead inbox');
    expect(await page.locator('[data-test="bulk-count"]').textContent()).to.equal('Codes to check: 0');
    await page.locator('#check-code').fill('91621228NOTACODE12');
    await page.locator('[data-test="check-one"]').click();
    const alert = page.locator('[role="alert"][data-code="INVALID_ARGUMENT"]');
    await alert.waitFor();
    expect(await alert.textContent()).to.include('Invalid input');
    await screenshot(page, 'enforcement-check-en');
  });

  it('is only for enforcement: a regulator is sent to sign-in', async () => {
    const other = await newContext();
    try {
      const p = await other.newPage();
      await signIn(p, L, 'regulator');
      await open(p, '/work/enforcement');
      await p.locator('[data-test="signed-in"]').waitFor();
      expect(await p.locator('#bulk-codes').count()).to.equal(0);
    } finally {
      await other.close();
    }
  });
});
