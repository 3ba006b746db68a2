import { expect } from 'chai';
import { BrowserContext, Page } from 'playwright-core';
import { axeViolations, demoGateway, inPage, newContext, screenshot, signIn } from './console-fixture';
import { listedAsset, newMerchant, ok, runTag, signInWithKey, TradeMerchant } from './trade-world';

interface OrderView {
  id: string;
  status: string;
  depositFen: number;
  cancellation?: { faultParty: string; refundToBuyerFen: number; forfeitedToSellerFen: number };
}
interface AssetView {
  status: string;
  openOrderId?: string;
  ownerSubjectId: string;
}

/** The merchant's and the verifier's workspaces: refusals shown in Chinese with nothing changed, cancel, fail, phone size and axe. */
describe('console: merchant and verifier workspaces, refusals, phone and axe (Chromium)', function () {
  this.timeout(180_000);
  let seller: TradeMerchant;
  let buyer: TradeMerchant;
  let context: BrowserContext | undefined;
  before(async () => {
    const g = await demoGateway();
    seller = await newMerchant(g, 'LiangdangMSP', 'ws-seller');
    buyer = await newMerchant(g, 'HuixianMSP', 'ws-buyer');
  });
  afterEach(async () => {
    await context?.close();
    context = undefined;
  });
  async function pageOf(options: { phone?: boolean; forAxe?: boolean } = {}): Promise<Page> {
    context = await newContext(options);
    return context.newPage();
  }
  const ordersOf = async (who: TradeMerchant, side: 'buyer' | 'seller') =>
    (await ok<{ items: OrderView[] }>(who.apiKey, 'GET', `orders?subjectId=${who.subjectId}&side=${side}`)).items;

  async function openOrderDialog(page: Page, category: string, assetId: string): Promise<void> {
    await page.locator('[data-nav="merchant"]').click();
    await page.locator('#market-category').fill(category);
    await page.locator('[data-test="market-search"]').click();
    await page.locator(`[data-order-asset="${assetId}"]`).click();
    await page.locator('[data-test="order-form"]').waitFor();
  }

  it('refuses a deposit above the cap with its Chinese message, and orders nothing', async () => {
    const category = `walnut-${runTag()}`;
    const assetId = await listedAsset(seller, category, 100_000);
    const before = await ordersOf(buyer, 'buyer');
    const page = await pageOf();
    await signInWithKey(page, buyer.apiKey);
    await openOrderDialog(page, category, assetId);
    const form = page.locator('[data-test="order-form"]');
    expect(await form.locator('[data-test="deposit-cap"]').textContent()).to.include('200.00 元');
    await page.locator('#order-deposit').fill('200.01');
    await page.locator('#order-deposit-ref').fill('DEP-OVER-CAP');
    expect(await form.locator('[data-test="deposit-cap"]').textContent()).to.include('超过定金上限');
    await form.locator('[data-test="order-submit"]').click();
    const alert = form.locator('[role="alert"][data-code="RULE_VIOLATION"]');
    await alert.waitFor();
    expect(await alert.textContent())
      .to.include('违反业务规则')
      .and.include('20%');
    await screenshot(page, 'merchant-deposit-refused');
    // Nothing changed: the asset is still for sale, the buyer has no new order.
    const asset = await ok<AssetView>(buyer.apiKey, 'GET', `assets/${assetId}`);
    expect(asset.status).to.equal('listed');
    expect(asset.openOrderId).to.equal(undefined);
    expect((await ordersOf(buyer, 'buyer')).map((o) => o.id)).to.deep.equal(before.map((o) => o.id));
    expect(await ordersOf(seller, 'seller')).to.have.length(0);
  });

  it('refuses an order for a subject without market access (pending) with its Chinese message, and orders nothing', async () => {
    const g = await demoGateway();
    const pending = await newMerchant(g, 'FengxianMSP', 'ws-pending', 'pending');
    const category = `millet-${runTag()}`;
    const assetId = await listedAsset(seller, category, 50_000);
    const page = await pageOf();
    await signInWithKey(page, pending.apiKey);
    await page.locator('[data-nav="merchant"]').click();
    await page.locator('[data-test="subject"] [data-access="pending"]').waitFor();
    expect(await page.locator('[data-test="subject"]').textContent()).to.include('待审核');
    await openOrderDialog(page, category, assetId);
    await page.locator('#order-deposit').fill('50');
    await page.locator('#order-deposit-ref').fill('DEP-PENDING');
    await page.locator('[data-test="order-submit"]').click();
    const alert = page.locator('[data-test="order-form"] [role="alert"][data-code="RULE_VIOLATION"]');
    await alert.waitFor();
    expect(await alert.textContent()).to.include('违反业务规则');
    await screenshot(page, 'merchant-no-access-refused');
    expect((await ok<AssetView>(pending.apiKey, 'GET', `assets/${assetId}`)).status).to.equal('listed');
    expect(await ordersOf(pending, 'buyer')).to.have.length(0);
  });

  it('lets the buyer cancel an order: the deposit rule is shown and the buyer’s fault forfeits it', async () => {
    const category = `chestnut-${runTag()}`;
    const assetId = await listedAsset(seller, category, 80_000);
    const placed = await ok<{ result: OrderView }>(buyer.apiKey, 'POST', 'orders', {
      assetId,
      buyerSubjectId: buyer.subjectId,
      depositFen: 10_000,
      depositPaymentRef: 'DEP-CANCEL',
    });
    const page = await pageOf();
    await signInWithKey(page, buyer.apiKey);
    await page.locator('[data-nav="merchant"]').click();
    await page.locator('[data-side="buyer"]').click();
    const card = page.locator(`[data-orders="buyer"] [data-order="${placed.result.id}"]`);
    await card.locator('[data-test="cancel"]').click();
    const form = page.locator('[data-test="cancel-form"]');
    expect(await form.textContent()).to.include('定金罚则');
    // No reason, no cancelling.
    expect(await form.locator('[data-test="cancel-submit"]').isDisabled()).to.equal(true);
    await form.locator('[data-test="cancel-reason"]').fill('买方改变采购计划');
    await form.locator('[data-test="cancel-submit"]').click();
    const cancelled = page.locator(`[data-orders="buyer"] [data-order="${placed.result.id}"][data-status="cancelled"]`);
    await cancelled.waitFor();
    expect(await cancelled.locator('[data-test="cancelled-at"]').textContent())
      .to.include('买方责任')
      .and.include('CST');
    const order = await ok<OrderView>(buyer.apiKey, 'GET', `orders/${placed.result.id}`);
    expect(order.cancellation).to.include({ faultParty: 'buyer', forfeitedToSellerFen: 10_000, refundToBuyerFen: 0 });
    expect((await ok<AssetView>(buyer.apiKey, 'GET', `assets/${assetId}`)).status).to.equal('listed');
    await screenshot(page, 'merchant-cancelled');
  });

  it('lets a verifier open an order by its ID and fail it with evidence: cancelled, the seller at fault', async () => {
    const category = `pepper-${runTag()}`;
    const assetId = await listedAsset(seller, category, 60_000);
    const placed = await ok<{ result: OrderView }>(buyer.apiKey, 'POST', 'orders', {
      assetId,
      buyerSubjectId: buyer.subjectId,
      depositFen: 5_000,
      depositPaymentRef: 'DEP-FAIL',
    });
    const orderId = placed.result.id;
    const page = await pageOf();
    await signIn(page, 'FengxianMSP', 'verifier');
    await page.locator('[data-nav="verifier"]').click();
    await page.locator('#order-id').fill(orderId);
    await page.locator('[data-test="order-open"]').click();
    const verify = page.locator(`[data-verify="${orderId}"]`);
    await verify.locator('[data-test="verify-form"]').waitFor();
    // Without evidence the result cannot be sent.
    expect(await verify.locator('[data-test="verify-submit"]').isDisabled()).to.equal(true);
    await verify.locator('[data-result="fail"]').click();
    expect(await verify.textContent()).to.include('双倍返还定金');
    await verify
      .locator(`[id="evidence-${orderId}"]`)
      .setInputFiles({ name: 'mould.txt', mimeType: 'text/plain', buffer: Buffer.from(`现场发现霉变 ${runTag()}\n`) });
    await verify.locator('[data-sha256]').waitFor();
    await verify.locator('[data-test="verify-submit"]').click();
    await page.locator(`[data-verify="${orderId}"] [data-status="cancelled"]`).waitFor();
    const order = await ok<OrderView>(buyer.apiKey, 'GET', `orders/${orderId}`);
    expect(order.status).to.equal('cancelled');
    expect(order.cancellation).to.include({ faultParty: 'seller', refundToBuyerFen: 10_000 });
    expect(await page.locator(`[data-verify="${orderId}"]`).textContent()).to.include('卖方责任');
    await screenshot(page, 'verifier-failed');
  });

  it('refuses a verifier an unknown order ID with its Chinese message', async () => {
    const page = await pageOf();
    await signIn(page, 'LiangdangMSP', 'verifier');
    await page.locator('[data-nav="verifier"]').click();
    await page.locator('#order-id').fill(`o-no-such-${runTag()}`);
    await page.locator('[data-test="order-open"]').click();
    const alert = page.locator('[role="alert"][data-code="NOT_FOUND"]');
    await alert.waitFor();
    expect(await alert.textContent()).to.include('未找到');
    expect(await page.locator('[data-test="verify-form"]').count()).to.equal(0);
  });

  it('lets the owner’s merchant take an asset off sale and list it again, and speaks English on the switch', async () => {
    const category = `kiwi-${runTag()}`;
    const assetId = await listedAsset(seller, category, 40_000);
    const page = await pageOf();
    await signInWithKey(page, seller.apiKey);
    await page.locator('[data-nav="merchant"]').click();
    const row = page.locator('[data-test="assets"] .el-table__row').filter({ has: page.locator(`[data-asset="${assetId}"]`) });
    await row.locator('[data-test="unlist"]').click();
    await row.locator('[data-asset-status="held"]').waitFor();
    expect(await row.textContent()).to.include('持有（未上架）');
    expect((await ok<AssetView>(seller.apiKey, 'GET', `assets/${assetId}`)).status).to.equal('held');
    await row.locator('[data-test="relist"]').click();
    await row.locator('[data-asset-status="listed"]').waitFor();
    expect((await ok<AssetView>(seller.apiKey, 'GET', `assets/${assetId}`)).status).to.equal('listed');
    await page.locator('[data-lang="en"]').click();
    expect(await page.locator('h1').textContent()).to.equal('Merchant workspace');
    expect(await row.textContent())
      .to.include('For sale')
      .and.include('400.00 yuan');
    await screenshot(page, 'merchant-en');
    await page.locator('[data-lang="zh"]').click();
    expect(await page.locator('h1').textContent()).to.equal('经营主体工作台');
  });

  it('fits a phone-sized screen and passes axe-core’s WCAG A/AA checks: the merchant workspace', async () => {
    const category = `jujube-${runTag()}`;
    const assetId = await listedAsset(seller, category, 70_000);
    await ok(buyer.apiKey, 'POST', 'orders', { assetId, buyerSubjectId: buyer.subjectId, depositFen: 1_000, depositPaymentRef: 'DEP-PHONE' });
    const page = await pageOf({ phone: true, forAxe: true });
    await signInWithKey(page, seller.apiKey);
    await page.locator('[data-nav="merchant"]').click();
    await page.locator('[data-orders="seller"] [data-order]').first().waitFor();
    await page.locator('[data-test="assets"] [data-asset]').first().waitFor();
    const width = await inPage<number>(page, 'document.documentElement.scrollWidth');
    expect(width, 'no horizontal page scrolling on a 390 px screen').to.be.at.most(390);
    await screenshot(page, 'merchant-phone');
    expect(await axeViolations(page)).to.deep.equal([]);
  });

  it('fits a phone-sized screen and passes axe-core’s WCAG A/AA checks: the verifier workspace with an order open', async () => {
    const category = `walnut-${runTag()}`;
    const assetId = await listedAsset(seller, category, 90_000);
    const placed = await ok<{ result: OrderView }>(buyer.apiKey, 'POST', 'orders', {
      assetId,
      buyerSubjectId: buyer.subjectId,
      depositFen: 1_000,
      depositPaymentRef: 'DEP-PHONE-2',
    });
    const page = await pageOf({ phone: true, forAxe: true });
    await signIn(page, 'FengxianMSP', 'verifier');
    await page.locator('[data-nav="verifier"]').click();
    await page.locator('#seller-code').fill(seller.subjectId);
    await page.locator('[data-test="seller-search"]').click();
    await page.locator(`[data-pick="${placed.result.id}"]`).click();
    await page.locator('[data-test="verify-form"]').waitFor();
    const width = await inPage<number>(page, 'document.documentElement.scrollWidth');
    expect(width, 'no horizontal page scrolling on a 390 px screen').to.be.at.most(390);
    await screenshot(page, 'verifier-phone');
    expect(await axeViolations(page)).to.deep.equal([]);
  });
});
