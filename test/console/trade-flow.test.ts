import { createHash, randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { BrowserContext, Page } from 'playwright-core';
import { demoGateway, newContext, screenshot, signIn } from './console-fixture';
import { cst, newMerchant, ok, runTag, signInWithKey, TradeMerchant } from './trade-world';

interface OrderView {
  id: string;
  status: string;
  orderedAt: string;
  verifyBy: string;
  payBy?: string;
  depositFen: number;
  verification?: { evidenceRefs: string[]; verifier: { mspId: string } };
  settlement?: { settlementDate: string; paymentRef: string; at: string };
}

/**
 * The trade flow by three people in three browsers (three contexts, three sessions): Liangdang's
 * merchant lists an eco product, Fengxian's merchant orders it with a deposit, Huixian's verifier
 * passes it with an evidence file uploaded (progress shown), the buyer settles, and the seller sees
 * it settled; each deadline shown in CST while the browsers run in Berlin time.
 */
describe('console: the trade flow by three users in three browsers (Chromium)', function () {
  this.timeout(180_000);
  const contexts: BrowserContext[] = [];
  let seller: TradeMerchant;
  let buyer: TradeMerchant;
  before(async () => {
    const g = await demoGateway();
    seller = await newMerchant(g, 'LiangdangMSP', 'trade-seller');
    buyer = await newMerchant(g, 'FengxianMSP', 'trade-buyer');
  });
  after(async () => {
    for (const c of contexts) await c.close();
  });
  async function pageOf(): Promise<Page> {
    const context = await newContext();
    contexts.push(context);
    return context.newPage();
  }

  it('lists, orders with a deposit, verifies with evidence, settles, and every party sees it', async () => {
    const g = await demoGateway();
    const tag = runTag();
    const category = `tea-${tag}`;

    // 1. The seller's merchant lists an eco product, with its certification uploaded.
    const sellerPage = await pageOf();
    await signInWithKey(sellerPage, seller.apiKey);
    await sellerPage.locator('[data-nav="merchant"]').click();
    await sellerPage.locator(`[data-subject="${seller.subjectId}"]`).waitFor();
    expect(await sellerPage.locator('[data-test="subject"]').textContent()).to.include('绿色（准入）');
    await sellerPage.locator('#reg-title').fill(`高山绿茶 ${tag}`);
    await sellerPage.locator('#reg-category').fill(category);
    await sellerPage.locator('#reg-cost').fill('1000');
    await sellerPage.locator('#reg-price').fill('1,500.00');
    await sellerPage.locator('#reg-cert-file').setInputFiles({ name: 'soil-test.txt', mimeType: 'text/plain', buffer: Buffer.from(`土壤检测报告 ${tag}\n`) });
    await sellerPage.locator('[data-test="cert-anchored"]').waitFor();
    await sellerPage.locator('[data-test="register-submit"]').click();
    const listedRow = sellerPage.locator('[data-test="assets"] [data-asset]').filter({ hasText: tag });
    await listedRow.waitFor();
    const assetId = (await listedRow.getAttribute('data-asset')) as string;
    const asset = await ok<{ priceFen: number; costFen: number; status: string; certifications: unknown[] }>(seller.apiKey, 'GET', `assets/${assetId}`);
    expect(asset).to.include({ priceFen: 150_000, costFen: 100_000, status: 'listed' });
    expect(asset.certifications).to.have.length(1);
    expect(await sellerPage.locator('[data-test="assets"]').textContent())
      .to.include('1,500.00')
      .and.include('在售');
    await screenshot(sellerPage, 'merchant-asset-listed');

    // 2. The buyer's merchant finds it and orders with a deposit, the cap shown.
    const buyerPage = await pageOf();
    await signInWithKey(buyerPage, buyer.apiKey);
    await buyerPage.locator('[data-nav="merchant"]').click();
    await buyerPage.locator(`[data-subject="${buyer.subjectId}"]`).waitFor();
    await buyerPage.locator('#market-category').fill(category);
    await buyerPage.locator('[data-test="market-search"]').click();
    await buyerPage.locator(`[data-order-asset="${assetId}"]`).click();
    const form = buyerPage.locator('[data-test="order-form"]');
    await form.waitFor();
    expect(await form.locator('[data-test="deposit-cap"]').textContent()).to.include('定金上限（价格的 20%）：300.00 元');
    await buyerPage.locator('#order-deposit').fill('250.50');
    await buyerPage.locator('#order-deposit-ref').fill(`DEP-${tag}`);
    await screenshot(buyerPage, 'merchant-order-dialog');
    await form.locator('[data-test="order-submit"]').click();
    await form.waitFor({ state: 'detached' });
    const buyerCard = buyerPage.locator('[data-orders="buyer"] [data-order]').first();
    await buyerCard.waitFor();
    const orderId = (await buyerCard.getAttribute('data-order')) as string;
    let order = await ok<OrderView>(buyer.apiKey, 'GET', `orders/${orderId}`);
    expect(order).to.include({ status: 'ordered', depositFen: 25_050 });
    expect(await buyerCard.getAttribute('data-status')).to.equal('ordered');
    expect(await buyerCard.locator('[data-status]').first().textContent()).to.equal('待核验');
    expect(await buyerCard.locator('[data-test="ordered-at"]').textContent()).to.equal(cst(order.orderedAt));
    expect(await buyerCard.locator('[data-test="verify-by"]').textContent())
      .to.include(order.verifyBy)
      .and.include('北京时间');
    expect(await buyerCard.locator('[data-test="order-deposit"]').textContent()).to.include('250.50');
    await screenshot(buyerPage, 'merchant-ordered');

    // 3. A verifier of a third county finds it by its seller and passes it with an evidence file.
    const verifierPage = await pageOf();
    await signIn(verifierPage, 'HuixianMSP', 'verifier');
    await verifierPage.locator('[data-nav="verifier"]').click();
    await verifierPage.locator('#seller-code').fill(seller.subjectId);
    await verifierPage.locator('[data-test="seller-search"]').click();
    await verifierPage.locator(`[data-pick="${orderId}"]`).click();
    const verify = verifierPage.locator(`[data-verify="${orderId}"]`);
    await verify.locator('[data-test="verify-form"]').waitFor();
    expect(await verify.locator('[data-test="verify-by"]').textContent()).to.include(order.verifyBy);
    const photo = randomBytes(3 * 1024 * 1024);
    await verify.locator(`[id="evidence-${orderId}"]`).setInputFiles({ name: 'site-visit.jpg', mimeType: 'image/jpeg', buffer: photo });
    const bar = verify.locator('[data-test="evidence-progress"][role="progressbar"]');
    await bar.waitFor();
    const sha256 = createHash('sha256').update(photo).digest('hex');
    await verify.locator(`[data-sha256="${sha256}"]`).waitFor();
    expect(await bar.getAttribute('aria-valuenow')).to.equal('100');
    await verify.locator('[data-test="verify-note"]').fill('现场查验：货品与描述一致');
    await screenshot(verifierPage, 'verifier-evidence-uploaded');
    await verify.locator('[data-test="verify-submit"]').click();
    await verifierPage.locator(`[data-verify="${orderId}"] [data-test="not-waiting"]`).waitFor();
    order = await ok<OrderView>(buyer.apiKey, 'GET', `orders/${orderId}`);
    expect(order.status).to.equal('verified');
    expect(order.verification?.evidenceRefs).to.deep.equal([`sha256:${sha256}`]);
    expect(order.verification?.verifier.mspId).to.equal('HuixianMSP');
    expect(await verifierPage.locator(`[data-verify="${orderId}"] [data-test="pay-by"]`).textContent()).to.include(order.payBy as string);
    await screenshot(verifierPage, 'verifier-passed');

    // 4. The buyer sees it verified with its balance deadline, and settles.
    await buyerPage.locator('[data-test="refresh"]').click();
    const verified = buyerPage.locator(`[data-orders="buyer"] [data-order="${orderId}"][data-status="verified"]`);
    await verified.waitFor();
    expect(await verified.locator('[data-test="pay-by"]').textContent())
      .to.include(order.payBy as string)
      .and.include('北京时间');
    expect(await verified.locator('[data-test="verification"]').textContent())
      .to.include('通过')
      .and.include('HuixianMSP');
    await verified.locator('[data-test="settle"]').click();
    const settleForm = buyerPage.locator('[data-test="settle-form"]');
    await settleForm.waitFor();
    expect(await settleForm.locator('[data-test="balance"]').textContent()).to.include('1,249.50');
    await settleForm.locator('[data-test="payment-ref"]').fill(`BAL-${tag}`);
    await settleForm.locator('[data-test="settle-submit"]').click();
    const settled = buyerPage.locator(`[data-orders="buyer"] [data-order="${orderId}"][data-status="settled"]`);
    await settled.waitFor();
    order = await ok<OrderView>(buyer.apiKey, 'GET', `orders/${orderId}`);
    expect(order.status).to.equal('settled');
    expect(order.settlement?.paymentRef).to.equal(`BAL-${tag}`);
    expect(await settled.locator('[data-test="settlement-date"]').textContent()).to.equal(order.settlement?.settlementDate);
    expect(await settled.locator('[data-test="settled-at"]').textContent()).to.equal(cst(order.settlement?.at as string));
    await screenshot(buyerPage, 'merchant-settled-buyer');
    // The asset is the buyer's now.
    expect((await ok<{ ownerSubjectId: string }>(buyer.apiKey, 'GET', `assets/${assetId}`)).ownerSubjectId).to.equal(buyer.subjectId);
    await buyerPage.locator('[data-test="assets"]').filter({ hasText: tag }).waitFor();

    // 5. The seller's merchant sees it settled.
    await sellerPage.locator('[data-test="refresh"]').click();
    const sold = sellerPage.locator(`[data-orders="seller"] [data-order="${orderId}"][data-status="settled"]`);
    await sold.waitFor();
    expect(await sold.locator('[data-status]').first().textContent()).to.equal('已结算');
    expect(await sold.locator('[data-test="settlement-date"]').textContent()).to.equal(order.settlement?.settlementDate);
    await screenshot(sellerPage, 'merchant-settled-seller');
    expect(g.baseUrl).to.match(/^http/);
  });
});
