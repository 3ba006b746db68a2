import { expect } from 'chai';
import { BrowserContext, Page } from 'playwright-core';
import { buildCreditCode } from '../../chaincode/src/public';
import { axeViolations, demoGateway, inPage, newContext, open, screenshot, signIn, callAs } from './console-fixture';

/** A REST call with a demo member's key, for setting up what a test is not about and for checking what was written. */
const call = callAs;

const L = 'LiangdangMSP';
const H = 'HuixianMSP';
// This file's own subjects: serials no other file uses (the demo seed takes serial 1).
let serial = 500_000_000 + Math.floor(Math.random() * 90_000_000);
async function registered(name: string): Promise<string> {
  const code = buildCreditCode('91', '621228', serial++);
  expect((await call(L, 'regulator', 'POST', '/subjects', { creditCode: code, name })).status).to.equal(201);
  return code;
}

interface Proposal {
  id: string;
  state: string;
  approvals: Array<{ county: string }>;
}
interface Parameters {
  current: { version: number; values: { pairTradeLimit: number } };
  history: { items: Array<{ proposalId: string }> };
}

/**
 * A red alert of this file's own: a new Liangdang seller and Huixian buyer (never the demo pair,
 * whose orders other files walk), four orders between them where the shared limit allows three.
 */
async function pairFrequencyAlert(): Promise<{ alertId: string; orderId: string; unbind: () => Promise<void> }> {
  const limit = (await call<Parameters>(L, 'regulator', 'GET', '/parameters')).body.current.values.pairTradeLimit;
  const seller = await registered('预警测试卖方');
  const buyer = buildCreditCode('91', '621227', serial++);
  expect((await call(H, 'regulator', 'POST', '/subjects', { creditCode: buyer, name: '预警测试买方' })).status).to.equal(201);
  for (const [msp, code] of [
    [L, seller],
    [H, buyer],
  ] as const) {
    expect((await call(msp, 'regulator', 'POST', `/subjects/${code}/access`, { status: 'green', evidenceRefs: ['console-test'] })).status).to.equal(201);
    expect((await call(msp, 'regulator', 'POST', `/subjects/${code}/merchants`, { member: 'merchant' })).status).to.equal(201);
  }
  const category = `console-alert-${serial}`;
  let last: { status: string; alertId?: string; id: string } | undefined;
  for (let i = 0; i <= limit; i++) {
    const asset = await call<{ result: { id: string } }>(L, 'merchant', 'POST', '/assets', {
      ownerSubjectId: seller,
      kind: 'rural-resource',
      title: `测试林地经营权 ${i}`,
      category,
      costFen: 10_000,
      priceFen: 20_000,
    });
    expect(asset.status).to.equal(201);
    const order = await call<{ result: { id: string; status: string; alertId?: string } }>(H, 'merchant', 'POST', '/orders', {
      assetId: asset.body.result.id,
      buyerSubjectId: buyer,
      depositFen: 4_000,
      depositPaymentRef: `CONSOLE-DEP-${serial}-${i}`,
    });
    expect(order.status).to.equal(201);
    last = order.body.result;
  }
  expect(last?.status).to.equal('suspended');
  return {
    alertId: last?.alertId as string,
    orderId: last?.id as string,
    unbind: async () => {
      await call(L, 'regulator', 'DELETE', `/subjects/${seller}/merchants/merchant`);
      await call(H, 'regulator', 'DELETE', `/subjects/${buyer}/merchants/merchant`);
    },
  };
}

async function workspace(context: BrowserContext, msp: string): Promise<Page> {
  const page = await context.newPage();
  await signIn(page, msp, 'regulator');
  await open(page, '/work/regulator');
  await page.locator('#access-code').waitFor();
  return page;
}

describe('console: the regulator workspace (Chromium)', function () {
  this.timeout(180_000);
  let context: BrowserContext;
  let page: Page;
  before(async () => {
    await demoGateway();
  });
  beforeEach(async () => {
    context = await newContext();
    page = await workspace(context, L);
  });
  afterEach(async () => context.close());

  it('decides market access: orange with a limit typed in 元 and sent in fen, then red', async () => {
    const code = await registered('准入测试合作社');
    await page.locator('#access-code').fill(code);
    await page.locator('[data-test="access-find"]').click();
    await page.locator('[data-test="found-access"]', { hasText: '待审核' }).waitFor();
    await screenshot(page, 'regulator-access');
    await page.locator('[data-test="found-decide"]').click();
    await page.locator('[data-status="orange"]').check();
    await page.locator('#access-limit').fill('1,234.56');
    await page.locator('#access-evidence').fill('site-visit-2026-031');
    await page.locator('#access-reason').fill('首次经营，限额准入');
    await screenshot(page, 'regulator-access-orange');
    await page.locator('[data-test="access-submit"]').click();
    await page.locator('[data-test="found-access"]', { hasText: '橙色（限额）' }).waitFor();
    expect(await page.locator('[data-test="found-limit"]').textContent()).to.include('1,234.56');
    const orange = await call<{ access: string; tradeLimitFen?: number; accessEvidenceRefs: string[] }>(L, 'regulator', 'GET', `/subjects/${code}`);
    expect(orange.body.access).to.equal('orange');
    expect(orange.body.tradeLimitFen).to.equal(123456);
    expect(orange.body.accessEvidenceRefs).to.deep.equal(['site-visit-2026-031']);

    await page.locator('[data-test="found-decide"]').click();
    await page.locator('[data-status="red"]').check();
    expect(await page.locator('#access-limit').count(), 'red takes no limit').to.equal(0);
    await page.locator('#access-evidence').fill('inspection-2026-044');
    await page.locator('[data-test="access-submit"]').click();
    await page.locator('[data-test="found-access"]', { hasText: '红色（禁止）' }).waitFor();
    const history = await call<{ items: Array<{ status: string; tradeLimitFen?: number }> }>(L, 'regulator', 'GET', `/subjects/${code}/access/history`);
    expect(history.body.items.map((c) => c.status)).to.deep.equal(['orange', 'red']);
  });

  it('refuses an access decision on another county’s subject with its Chinese message, and writes nothing', async () => {
    const g = await demoGateway();
    const huixian = g.enterprises[H] as string;
    const before = await call<{ items: unknown[] }>(H, 'regulator', 'GET', `/subjects/${huixian}/access/history`);
    await page.locator('#access-code').fill(huixian);
    await page.locator('[data-test="access-find"]').click();
    await page.locator('[data-test="found-decide"]').click();
    await page.locator('[data-status="red"]').check();
    await page.locator('#access-evidence').fill('not-ours');
    await page.locator('[data-test="access-submit"]').click();
    const alert = page.locator('.el-dialog [role="alert"][data-code="FORBIDDEN"]');
    await alert.waitFor();
    expect(await alert.textContent()).to.include('无权执行此操作');
    await screenshot(page, 'regulator-access-refused');
    const after = await call<{ items: unknown[] }>(H, 'regulator', 'GET', `/subjects/${huixian}/access/history`);
    expect(after.body.items).to.deep.equal(before.body.items);
    expect((await call<{ access: string }>(H, 'regulator', 'GET', `/subjects/${huixian}`)).body.access).to.equal('green');
  });

  it('binds a merchant to a subject, shows the binding and unbinds it', async () => {
    const code = await registered('绑定测试企业');
    await page.locator('#tab-bindings').click();
    await page.locator('#bind-subject').fill(code);
    await page.locator('#bind-member').fill('merchant');
    await page.locator('#bind-note').fill('合作社委托');
    await page.locator('[data-test="bind-submit"]').click();
    await page.locator('[data-test="bound"]').waitFor();
    await page.locator('#bindings-member').fill('merchant');
    await page.locator('[data-test="bindings-lookup"]').click();
    await page.locator(`[data-binding="${code}"]`).waitFor();
    await screenshot(page, 'regulator-bindings');
    const bindings = async () =>
      (await call<{ items: Array<{ subjectId: string }> }>(L, 'regulator', 'GET', `/merchant-bindings?mspId=${L}&member=merchant&limit=100`)).body.items.map(
        (b) => b.subjectId,
      );
    expect(await bindings()).to.include(code);
    await page.locator(`[data-unbind="${code}"]`).click();
    await page.locator(`[data-binding="${code}"]`).waitFor({ state: 'detached' });
    expect(await bindings()).to.not.include(code);
  });

  it('clears a risk alert raised by too many orders between one pair; the order continues', async () => {
    const { alertId, orderId, unbind } = await pairFrequencyAlert();
    try {
      await page.locator('#tab-alerts').click();
      await page.locator(`[data-alert-clear="${alertId}"]`).waitFor();
      expect(await page.locator('[data-test="alerts-table"]').textContent()).to.include('同一买卖方交易过频');
      await screenshot(page, 'regulator-alerts');
      await page.locator(`[data-alert-clear="${alertId}"]`).click();
      expect(await page.locator('[data-alert-decision="clear"]').isChecked()).to.equal(true);
      await page.locator('#alert-note').fill('经电话核实为正常批量采购');
      await page.locator('#alert-evidence').fill('call-record-2026-12');
      await screenshot(page, 'regulator-alerts-resolve');
      await page.locator('[data-test="alert-submit"]').click();
      await page.locator(`[data-alert-clear="${alertId}"]`).waitFor({ state: 'detached' });
      await page.locator('#alert-status').selectOption('cleared');
      await page.locator('[data-test="alerts-table"]', { hasText: alertId }).waitFor();
      const alert = await call<{ status: string; note?: string; resolvedBy?: { mspId: string } }>(L, 'regulator', 'GET', `/alerts/${alertId}`);
      expect(alert.body.status).to.equal('cleared');
      expect(alert.body.note).to.equal('经电话核实为正常批量采购');
      expect(alert.body.resolvedBy?.mspId).to.equal(L);
      expect((await call<{ status: string }>(L, 'regulator', 'GET', `/orders/${orderId}`)).body.status).to.equal('ordered');
    } finally {
      await unbind();
    }
  });

  it('proposes a shared rule in one county, refuses the same county’s second approval (CONFLICT, nothing written), and another county’s approval adopts it', async () => {
    const before = (await call<Parameters>(L, 'regulator', 'GET', '/parameters')).body.current;
    // The value in force again: adopting it changes nothing that other tests rely on.
    const value = before.values.pairTradeLimit;
    await page.locator('#tab-parameters').click();
    await page.locator(`[data-parameter="pairTradeLimit"]`, { hasText: String(value) }).waitFor();
    await page.locator('#proposal-parameter').selectOption('pairTradeLimit');
    await page.locator('#proposal-value').fill(String(value));
    await page.locator('#proposal-note').fill('控制台测试：确认同一买卖方订单上限');
    await page.locator('[data-test="propose-submit"]').click();
    const proposed = page.locator('[data-test="proposed"]');
    await proposed.waitFor();
    const id = (await proposed.getAttribute('data-proposal')) as string;
    await page.locator(`[data-approvals="${id}"]`, { hasText: '1 / 2' }).waitFor();
    await screenshot(page, 'regulator-parameters-proposed');

    // Liangdang proposed it, so it has approved it already: a second approval is refused.
    await page.locator(`[data-approve="${id}"]`).click();
    const alert = page.locator('[role="alert"][data-code="CONFLICT"]');
    await alert.waitFor();
    expect(await alert.textContent()).to.include('与当前状态冲突');
    expect(await alert.textContent()).to.include('already approved');
    await screenshot(page, 'regulator-parameters-refused');
    const still = await call<Proposal>(L, 'regulator', 'GET', `/parameters/proposals/${id}`);
    expect(still.body.state).to.equal('open');
    expect(still.body.approvals.map((a) => a.county)).to.deep.equal([L]);

    // Huixian's regulator, in a browser of its own, approves: a majority of three counties.
    const other = await newContext();
    try {
      const huixian = await workspace(other, H);
      await huixian.locator('#tab-parameters').click();
      await huixian.locator(`[data-approve="${id}"]`).click();
      await huixian.locator(`[data-approve="${id}"]`).waitFor({ state: 'detached' });
      await huixian
        .locator('[data-test="parameters-version"]')
        .filter({ hasText: `版本 ${before.version + 1}` })
        .waitFor();
      await huixian.locator('#proposal-state').selectOption('adopted');
      await huixian.locator(`[data-proposal-state="${id}"]`, { hasText: '已通过' }).waitFor();
      await screenshot(huixian, 'regulator-parameters-adopted');
    } finally {
      await other.close();
    }
    const adopted = await call<Proposal>(L, 'regulator', 'GET', `/parameters/proposals/${id}`);
    expect(adopted.body.state).to.equal('adopted');
    expect(adopted.body.approvals.map((a) => a.county)).to.deep.equal([L, H]);
    const now = (await call<Parameters>(L, 'regulator', 'GET', '/parameters?limit=100')).body;
    expect(now.current.version).to.equal(before.version + 1);
    expect(now.current.values).to.deep.equal(before.values);
    expect(now.history.items.map((c) => c.proposalId)).to.include(id);
  });

  it('withdraws its own open proposal', async () => {
    await page.locator('#tab-parameters').click();
    await page.locator('#proposal-parameter').selectOption('verificationDays');
    const current = (await call<{ current: { values: { verificationDays: number } } }>(L, 'regulator', 'GET', '/parameters')).body.current.values
      .verificationDays;
    await page.locator('#proposal-value').fill(String(current));
    await page.locator('#proposal-note').fill('控制台测试：随后撤回');
    await page.locator('[data-test="propose-submit"]').click();
    const id = (await page.locator('[data-test="proposed"]').getAttribute('data-proposal')) as string;
    await page.locator(`[data-withdraw="${id}"]`).click();
    await page.locator(`[data-withdraw="${id}"]`).waitFor({ state: 'detached' });
    expect((await call<Proposal>(L, 'regulator', 'GET', `/parameters/proposals/${id}`)).body.state).to.equal('withdrawn');
  });

  it('works on a phone-sized screen and passes axe-core’s WCAG A/AA checks on each tab', async () => {
    const phone = await newContext({ phone: true, forAxe: true });
    try {
      const p = await workspace(phone, L);
      for (const tab of ['access', 'bindings', 'alerts', 'parameters']) {
        await p.locator(`#tab-${tab}`).click();
        await p.waitForTimeout(400);
        const width = await inPage<number>(p, 'document.documentElement.scrollWidth');
        expect(width, `no horizontal scrolling on a 390 px screen (${tab})`).to.be.at.most(390);
        await screenshot(p, `regulator-${tab}-phone`);
        expect(await axeViolations(p), tab).to.deep.equal([]);
      }
      // The decision dialog too.
      const g = await demoGateway();
      await p.locator('#tab-access').click();
      await p.locator('#access-code').fill(g.enterprises[L] as string);
      await p.locator('[data-test="access-find"]').click();
      await p.locator('[data-test="found-decide"]').click();
      await p.locator('[data-status="orange"]').check();
      await p.locator('#access-limit').waitFor();
      await p.waitForTimeout(400);
      await screenshot(p, 'regulator-access-dialog-phone');
      expect(await axeViolations(p), 'access dialog').to.deep.equal([]);
    } finally {
      await phone.close();
    }
  });

  it('is only for regulators: an enforcement officer is sent to sign-in', async () => {
    const other = await newContext();
    try {
      const p = await other.newPage();
      await signIn(p, L, 'enforcement');
      await open(p, '/work/regulator');
      await p.locator('[data-test="signed-in"]').waitFor();
      expect(await p.locator('#access-code').count()).to.equal(0);
    } finally {
      await other.close();
    }
  });
});
