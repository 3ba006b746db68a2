import { expect } from 'chai';
import { BrowserContext, Page } from 'playwright-core';
import { axeViolations, demoGateway, inPage, newContext, open, screenshot, signIn } from './console-fixture';

/**
 * The finance workspace in Chromium: a contribution recorded, a round proposed by one county's
 * finance and approved by the others' in their own browser contexts until it is finalized, its
 * allocation chart drawn, a payment recorded by a paying county and confirmed by the receiver.
 */

/** A one-day period no other test uses: rounds of a county may not overlap. */
const DAY = new Date(Date.UTC(2001, 0, 1) + (Date.now() % 5000) * 86_400_000).toISOString().slice(0, 10);
const RUN = Date.now().toString(36);

async function financePage(context: BrowserContext, mspId: string): Promise<Page> {
  const page = await context.newPage();
  await signIn(page, mspId, 'finance');
  await open(page, '/work/finance');
  await page.locator('[data-test="finance-workspace"]').waitFor();
  return page;
}

async function api<T>(method: string, path: string, mspId: string, body?: unknown): Promise<{ status: number; body: T }> {
  const g = await demoGateway();
  const response = await fetch(`${g.baseUrl}/api/v1${path}`, {
    method,
    headers: {
      authorization: `Bearer ${g.key(mspId, 'finance')}`,
      ...(body !== undefined ? { 'content-type': 'application/json', 'idempotency-key': `t-${Math.random()}` } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: response.status, body: (await response.json()) as T };
}

describe('console: finance workspace (Chromium)', function () {
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

  let roundId = '';

  it('records a contribution in 元 (sent in fen) and lists it with its CST time', async () => {
    const page = await financePage(await context(), 'LiangdangMSP');
    await page.locator('#tab-contributions').click();
    await page.locator('[data-test="contribution-form"]').waitFor();
    const before = await api<{ availableFen: string }>('GET', '/fund/balance', 'LiangdangMSP');
    await page.locator('#contribution-amount').fill('1,500.25');
    await page.locator('#contribution-ref').fill(`console-contribution-${RUN}`);
    await page.locator('#contribution-note').fill('控制台缴款');
    await page.locator('[data-test="record-contribution"]').click();
    const row = page.locator('[data-test="contributions"] tr', { hasText: `console-contribution-${RUN}` });
    await row.waitFor();
    expect(await row.textContent())
      .to.include('1,500.25')
      .and.match(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} CST/);
    const after = await api<{ availableFen: string }>('GET', '/fund/balance', 'LiangdangMSP');
    expect(BigInt(after.body.availableFen) - BigInt(before.body.availableFen)).to.equal(150025n);
    await screenshot(page, 'finance-contributions');

    // The same payment reference again is refused (CONFLICT), in Chinese, and records nothing.
    await page.locator('#contribution-amount').fill('1');
    await page.locator('#contribution-ref').fill(`console-contribution-${RUN}`);
    await page.locator('[data-test="record-contribution"]').click();
    const alert = page.locator('[data-test="contribution-form"] [role="alert"][data-code="CONFLICT"]');
    await alert.waitFor();
    expect(await alert.textContent()).to.include('与当前状态冲突');
    const unchanged = await api<{ availableFen: string }>('GET', '/fund/balance', 'LiangdangMSP');
    expect(unchanged.body.availableFen).to.equal(after.body.availableFen);
    await screenshot(page, 'finance-contribution-refused');
  });

  it('proposes a round in one county, is approved by the others in their own browsers until finalized, and draws each county’s allocation', async () => {
    const liangdang = await financePage(await context(), 'LiangdangMSP');
    await liangdang.locator('[data-test="show-propose"]').click();
    await liangdang.locator('#round-from').fill(DAY);
    await liangdang.locator('#round-to').fill(DAY);
    await liangdang.locator('#round-pool').fill('1,000.00');
    await liangdang.locator('[data-test="metric-weight-0"]').fill('40');
    await liangdang.locator('[data-test="add-metric"]').click();
    await liangdang.locator('[data-test="metric-name-1"]').fill('forest-area');
    await liangdang.locator('[data-test="metric-weight-1"]').fill('60');
    await liangdang.locator('[data-test="metric-value-1-LiangdangMSP"]').fill('30');
    await liangdang.locator('[data-test="metric-value-1-HuixianMSP"]').fill('50');
    await liangdang.locator('[data-test="metric-value-1-FengxianMSP"]').fill('20');
    expect(await liangdang.locator('[data-test="weight-sum"]').textContent()).to.include('100.00%');
    await screenshot(liangdang, 'finance-round-propose');
    await liangdang.locator('[data-test="propose-round"]').click();
    const detail = liangdang.locator('.round-detail[data-status="proposed"]');
    await detail.waitFor();
    roundId = (await detail.getAttribute('data-round')) as string;
    expect(roundId).to.match(/^fr-/);
    await liangdang.locator('[data-test="allocation-chart"][data-drawn="true"]').waitFor();
    // No trades that day: the trade volume carries no weight and the indicator shares the pool 30:50:20.
    const amounts = await liangdang
      .locator('[data-test="allocations"] tbody tr')
      .evaluateAll((rows) => rows.map((r) => [r.getAttribute('data-county'), r.querySelector('[data-test="allocation-amount"]')?.textContent?.trim()]));
    expect(Object.fromEntries(amounts)).to.deep.equal({ FengxianMSP: '200.00', HuixianMSP: '500.00', LiangdangMSP: '300.00' });
    expect(await liangdang.locator('[data-test="round-status"]').textContent()).to.equal('待批准');
    await screenshot(liangdang, 'finance-round-proposed');

    // The same period again is refused with its Chinese message, and no second round is made.
    await liangdang.locator('[data-test="close-round"]').click();
    await liangdang.locator('[data-test="show-propose"]').click();
    await liangdang.locator('[data-test="propose-round"]').click();
    const refused = liangdang.locator('[data-test="propose-form"] [role="alert"][data-code="RULE_VIOLATION"]');
    await refused.waitFor();
    expect(await refused.textContent()).to.include('违反业务规则');
    const proposed = await api<{ items: Array<{ id: string; periodFrom: string }> }>('GET', '/fund/rounds?status=proposed&limit=100', 'LiangdangMSP');
    expect(proposed.body.items.filter((r) => r.periodFrom === DAY).map((r) => r.id)).to.deep.equal([roundId]);
    await screenshot(liangdang, 'finance-round-refused');

    // Huixian's finance approves in its own browser; one approval of two needed: not yet final.
    const huixian = await financePage(await context(), 'HuixianMSP');
    await huixian.locator(`[data-open-round="${roundId}"]`).click();
    await huixian.locator(`.round-detail[data-round="${roundId}"] [data-test="approve-round"]`).click();
    await huixian.locator('[data-test="approved-by-mine"]').waitFor();
    expect(await huixian.locator('[data-test="round-approvals"]').textContent()).to.include('已有 1 个');
    expect(await huixian.locator('[data-test="finalize-round"]').isDisabled()).to.equal(true);

    // Fengxian's finance approves (the majority) and finalizes.
    const fengxian = await financePage(await context(), 'FengxianMSP');
    await fengxian.locator(`[data-open-round="${roundId}"]`).click();
    await fengxian.locator('[data-test="approve-round"]').click();
    await fengxian.locator('[data-test="approved-by-mine"]').waitFor();
    await fengxian.locator('[data-test="finalize-round"]:not([disabled])').click();
    await fengxian.locator(`.round-detail[data-round="${roundId}"][data-status="finalized"]`).waitFor();
    expect(await fengxian.locator('[data-test="round-status"]').textContent()).to.equal('已定稿');
    await fengxian.locator('[data-test="allocation-chart"][data-drawn="true"]').waitFor();
    expect(await fengxian.locator('[data-test="approvals-list"] li').count()).to.equal(2);
    const round = await api<{ status: string; approvals: Array<{ county: string }> }>('GET', `/fund/rounds/${roundId}`, 'LiangdangMSP');
    expect(round.body.status).to.equal('finalized');
    expect(round.body.approvals.map((a) => a.county)).to.deep.equal(['HuixianMSP', 'FengxianMSP']);
    await screenshot(fengxian, 'finance-round-finalized');
  });

  it('records a payment by a paying county, which the receiving county confirms in its own browser', async () => {
    expect(roundId, 'the round of the previous test').to.match(/^fr-/);
    const fengxian = await financePage(await context(), 'FengxianMSP');
    await fengxian.locator('[data-test="round-status-filter"]').selectOption('finalized');
    await fengxian.locator(`[data-open-round="${roundId}"]`).click();
    await fengxian.locator('[data-test="disbursement-form"]').waitFor();
    await fengxian.locator('#pay-county').selectOption('HuixianMSP');
    await fengxian.locator('#pay-amount').fill('120.50');
    await fengxian.locator('#pay-ref').fill(`console-pay-${RUN}`);
    await fengxian.locator('[data-test="record-disbursement"]').click();
    const row = fengxian.locator('[data-test="disbursements"] tr', { hasText: `console-pay-${RUN}` });
    await row.waitFor();
    expect(await row.textContent())
      .to.include('120.50')
      .and.include('待确认');
    await screenshot(fengxian, 'finance-disbursement-recorded');

    // More than the county's allocation (500.00) is refused, in Chinese, and records nothing.
    await fengxian.locator('#pay-amount').fill('400.00');
    await fengxian.locator('#pay-ref').fill(`console-pay-too-much-${RUN}`);
    await fengxian.locator('[data-test="record-disbursement"]').click();
    await fengxian.locator('[data-test="disbursement-form"] [role="alert"][data-code="RULE_VIOLATION"]').waitFor();
    const listed = await api<{ items: Array<{ paymentRef: string }> }>('GET', `/fund/rounds/${roundId}/disbursements`, 'FengxianMSP');
    expect(listed.body.items.map((d) => d.paymentRef)).to.deep.equal([`console-pay-${RUN}`]);

    const huixian = await financePage(await context(), 'HuixianMSP');
    await huixian.locator('#tab-disbursements').click();
    const incoming = huixian.locator('[data-test="disbursements"] tr', { hasText: `console-pay-${RUN}` });
    await incoming.waitFor();
    await screenshot(huixian, 'finance-disbursement-incoming');
    await incoming.locator('[data-test="confirm-disbursement"]').click();
    await huixian.locator('[data-test="disbursements"] tr', { hasText: `console-pay-${RUN}` }).waitFor({ state: 'detached' });
    const round = await api<{ disbursedFen: Record<string, number>; pendingFen: Record<string, number> }>('GET', `/fund/rounds/${roundId}`, 'HuixianMSP');
    expect(round.body.disbursedFen.HuixianMSP).to.equal(12050);
    expect(round.body.pendingFen.HuixianMSP).to.equal(0);
  });

  it('lets the receiving county dispute a payment and the paying county cancel it, each in its own browser', async () => {
    expect(roundId, 'the round of the earlier test').to.match(/^fr-/);
    // Setup: Fengxian records another payment to Huixian (through the API).
    const recorded = await api<{ result: { id: string } }>('POST', `/fund/rounds/${roundId}/disbursements`, 'FengxianMSP', {
      county: 'HuixianMSP',
      amountFen: 1000,
      paymentRef: `console-pay-disputed-${RUN}`,
    });
    expect(recorded.status).to.equal(201);
    const id = recorded.body.result.id;
    const huixian = await financePage(await context(), 'HuixianMSP');
    await huixian.locator('#tab-disbursements').click();
    const row = huixian.locator(`[data-disbursement="${id}"]`);
    // Only the receiving county confirms or disputes; it may not cancel what another county recorded.
    expect(await row.locator('[data-test="cancel-disbursement"]').count()).to.equal(0);
    await row.locator('[data-test="dispute-disbursement"]').click();
    await huixian.locator('#reason-input').fill('未收到该笔款项');
    await screenshot(huixian, 'finance-disbursement-dispute');
    await huixian.locator('[data-test="reason-submit"]').click();
    await row.waitFor({ state: 'detached' });
    expect((await api<{ status: string }>('GET', `/fund/disbursements/${id}`, 'HuixianMSP')).body.status).to.equal('disputed');

    const fengxian = await financePage(await context(), 'FengxianMSP');
    await fengxian.locator('[data-test="round-status-filter"]').selectOption('finalized');
    await fengxian.locator(`[data-open-round="${roundId}"]`).click();
    const mine = fengxian.locator(`[data-disbursement="${id}"]`);
    await mine.waitFor();
    expect(await mine.locator('[data-test="confirm-disbursement"]').count()).to.equal(0);
    await mine.locator('[data-test="cancel-disbursement"]').click();
    await fengxian.locator('#reason-input').fill('付款信息有误，撤销重付');
    await fengxian.locator('[data-test="reason-submit"]').click();
    await fengxian.locator(`[data-test="disbursements"] tr:has([data-disbursement="${id}"]) [data-status="cancelled"]`).waitFor();
    expect((await api<{ status: string }>('GET', `/fund/disbursements/${id}`, 'FengxianMSP')).body.status).to.equal('cancelled');
  });

  it('lets only the proposing county withdraw a proposed round, with its reason', async () => {
    const day = new Date(Date.parse(`${DAY}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    // Setup: Liangdang proposes a round for the next day (through the API).
    const proposed = await api<{ result: { id: string } }>('POST', '/fund/rounds', 'LiangdangMSP', {
      periodFrom: day,
      periodTo: day,
      poolFen: 100,
      metrics: [{ metric: 'indicator', name: 'forest-area', weightBp: 10000, values: [{ county: 'HuixianMSP', value: 1 }] }],
    });
    expect(proposed.status, JSON.stringify(proposed.body)).to.equal(201);
    const id = proposed.body.result.id;
    const huixian = await financePage(await context(), 'HuixianMSP');
    await huixian.locator(`[data-open-round="${id}"]`).click();
    await huixian.locator(`.round-detail[data-round="${id}"] [data-test="round-actions"]`).waitFor();
    expect(await huixian.locator('[data-test="withdraw-form"]').count()).to.equal(0);

    const liangdang = await financePage(await context(), 'LiangdangMSP');
    await liangdang.locator(`[data-open-round="${id}"]`).click();
    await liangdang.locator('#withdraw-reason').fill('指标数据需重新核实');
    await liangdang.locator('[data-test="withdraw-round"]').click();
    await liangdang.locator(`.round-detail[data-round="${id}"][data-status="withdrawn"]`).waitFor();
    expect(await liangdang.locator('.round-detail').textContent()).to.include('已撤回：指标数据需重新核实');
    await screenshot(liangdang, 'finance-round-withdrawn');
    expect((await api<{ status: string }>('GET', `/fund/rounds/${id}`, 'LiangdangMSP')).body.status).to.equal('withdrawn');
  });

  it('shows a tax sharing statement between two counties', async () => {
    const page = await financePage(await context(), 'LiangdangMSP');
    await page.locator('#tab-tax').click();
    await page.locator('#tax-b').selectOption('HuixianMSP');
    await page.locator('[data-test="show-tax"]').click();
    await page.locator('[data-test="tax-totals"]').waitFor();
    expect(await page.locator('[data-test="tax-totals"]').textContent()).to.match(/\d+\.\d{2} 元/);
    await screenshot(page, 'finance-tax-statement');
  });

  it('works on a phone-sized screen and passes axe-core’s WCAG A/AA checks', async () => {
    const page = await financePage(await context({ phone: true, forAxe: true }), 'LiangdangMSP');
    await page.locator('[data-test="round-status-filter"]').selectOption('finalized');
    await page.locator(`[data-open-round="${roundId}"]`).click();
    await page.locator('[data-test="allocation-chart"][data-drawn="true"]').waitFor();
    await page.locator('[data-test="show-propose"]').click();
    await page.locator('[data-test="propose-form"]').waitFor();
    const width = await inPage<number>(page, 'document.documentElement.scrollWidth');
    expect(width, 'no horizontal scrolling on a 390 px screen').to.be.at.most(390);
    await screenshot(page, 'finance-phone');
    expect(await axeViolations(page)).to.deep.equal([]);
    await page.locator('#tab-contributions').click();
    await page.locator('[data-test="contribution-form"]').waitFor();
    expect(await inPage<number>(page, 'document.documentElement.scrollWidth')).to.be.at.most(390);
    expect(await axeViolations(page)).to.deep.equal([]);
  });
});
