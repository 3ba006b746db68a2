import { expect } from 'chai';
import { BrowserContext } from 'playwright-core';
import { axeViolations, demoGateway, inPage, newContext, open, screenshot, signIn } from './console-fixture';

describe('console: served by the gateway, sign-in, language, errors (Chromium)', function () {
  this.timeout(120_000);
  let context: BrowserContext;
  before(async () => {
    await demoGateway();
  });
  beforeEach(async () => {
    context = await newContext();
  });
  afterEach(async () => context.close());

  it('is served at / by the gateway itself, with a content security policy, and nothing is fetched from elsewhere', async () => {
    const g = await demoGateway();
    const index = await fetch(`${g.baseUrl}/`);
    expect(index.status).to.equal(200);
    expect(index.headers.get('content-type')).to.match(/text\/html/);
    expect(index.headers.get('content-security-policy')).to.include("default-src 'self'");
    const html = await index.text();
    expect(html).to.include('<div id="app">');
    const page = await context.newPage();
    const foreign: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith(g.baseUrl) && !r.url().startsWith('data:') && !r.url().startsWith('blob:')) foreign.push(r.url());
    });
    await open(page, '/');
    await page.locator('[data-card="blacklist"]').waitFor();
    expect(await page.locator('h1').textContent()).to.equal('公开信息');
    expect(foreign).to.deep.equal([]);
    // The API's own not-found answer is unchanged by the console's routes.
    const missing = await fetch(`${g.baseUrl}/api/v1/no-such-route`);
    expect(missing.status).to.equal(404);
    expect(missing.headers.get('content-type')).to.match(/application\/problem\+json/);
    await screenshot(page, 'portal-home');
  });

  it('is Chinese by default and switches to English and back, remembering the choice', async () => {
    const page = await context.newPage();
    await open(page, '/');
    expect(await page.locator('html').getAttribute('lang')).to.equal('zh-CN');
    expect(await page.locator('[data-nav="blacklist"]').textContent()).to.equal('失信名单查询');
    await page.locator('[data-lang="en"]').click();
    expect(await page.locator('[data-nav="blacklist"]').textContent()).to.equal('Blacklist lookup');
    expect(await page.locator('html').getAttribute('lang')).to.equal('en');
    await screenshot(page, 'portal-home-en');
    await page.reload();
    await page.locator('[data-nav="blacklist"]').waitFor();
    expect(await page.locator('[data-nav="blacklist"]').textContent()).to.equal('Blacklist lookup');
    await page.locator('[data-lang="zh"]').click();
    expect(await page.locator('[data-nav="blacklist"]').textContent()).to.equal('失信名单查询');
  });

  it('refuses a wrong API key with its Chinese message and code, and signs nobody in', async () => {
    const page = await context.newPage();
    await open(page, '/signin');
    await page.locator('#api-key').fill('cl_not-a-key');
    await page.locator('[data-test="sign-in"]').click();
    const alert = page.locator('[role="alert"][data-code="UNAUTHENTICATED"]');
    await alert.waitFor();
    expect(await alert.textContent()).to.include('未登录或密钥无效');
    expect(await page.locator('[data-test="who"]').count()).to.equal(0);
    expect(await inPage(page, "sessionStorage.getItem('county-ledger.api-key')")).to.equal(null);
    await screenshot(page, 'sign-in-refused');
  });

  it('shows a refusal readably: axe-core’s WCAG A/AA checks pass with the error on screen', async () => {
    const withAxe = await newContext({ forAxe: true });
    try {
      const page = await withAxe.newPage();
      await open(page, '/signin');
      await page.locator('#api-key').fill('cl_not-a-key');
      await page.locator('[data-test="sign-in"]').click();
      await page.locator('[role="alert"][data-code="UNAUTHENTICATED"]').waitFor();
      expect(await axeViolations(page)).to.deep.equal([]);
    } finally {
      await withAxe.close();
    }
  });

  it('keeps the key in session storage only, shows the member’s workspaces, and sign-out clears it', async () => {
    const page = await context.newPage();
    await signIn(page, 'LiangdangMSP', 'auditor');
    expect(await page.locator('[data-test="who"]').textContent()).to.include('LiangdangMSP');
    expect(await page.locator('[data-nav="auditor"]').count()).to.equal(1);
    expect(await page.locator('[data-nav="merchant"]').count()).to.equal(0);
    expect(await inPage(page, "localStorage.getItem('county-ledger.api-key')")).to.equal(null);
    expect(await inPage(page, "sessionStorage.getItem('county-ledger.api-key')")).to.match(/^cl_/);
    // A reload keeps the member signed in for the tab's life.
    await page.reload();
    await page.locator('[data-test="who"]').waitFor();
    // Another tab's context (another browser profile) is not signed in.
    const other = await (await newContext()).newPage();
    await open(other, '/');
    expect(await other.locator('[data-test="who"]').count()).to.equal(0);
    await other.context().close();
    await page.locator('[data-test="sign-out"]').click();
    await page.locator('[data-test="sign-in-link"]').waitFor();
    expect(await inPage(page, "sessionStorage.getItem('county-ledger.api-key')")).to.equal(null);
    // A workspace now asks for sign-in first.
    await open(page, '/work/auditor');
    await page.locator('#api-key').waitFor();
  });

  it('sends a member to sign-in for a workspace whose role it lacks', async () => {
    const page = await context.newPage();
    await signIn(page, 'HuixianMSP', 'merchant');
    await open(page, '/work/auditor');
    await page.locator('[data-test="signed-in"]').waitFor();
    expect(await page.locator('.el-alert').textContent()).to.include('审计');
  });

  it('works on a phone-sized screen and passes axe-core’s WCAG A/AA checks on the home page', async () => {
    const phone = await newContext({ phone: true, forAxe: true });
    try {
      const page = await phone.newPage();
      await open(page, '/');
      await page.locator('[data-card="verify"]').waitFor();
      const width = await inPage<number>(page, 'document.documentElement.scrollWidth');
      expect(width, 'no horizontal scrolling on a 390 px screen').to.be.at.most(390);
      await screenshot(page, 'portal-home-phone');
      expect(await axeViolations(page)).to.deep.equal([]);
    } finally {
      await phone.close();
    }
  });

  it('can be used with the keyboard alone: the skip link and the navigation take focus in order', async () => {
    const page = await context.newPage();
    await open(page, '/');
    await page.keyboard.press('Tab');
    expect(await inPage<string>(page, 'document.activeElement?.className')).to.include('skip-link');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    const focused = await inPage<string>(page, 'document.activeElement?.tagName');
    expect(focused).to.equal('A');
  });
});
