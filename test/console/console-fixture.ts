import { ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, Browser, BrowserContext, Page } from 'playwright-core';

/**
 * The web console as people meet it: `node dist/gateway-api/src/main.js` (what `npm start` runs)
 * on a fresh data folder with the demo seed, serving the built console at `/`, driven by Debian's
 * Chromium through playwright-core. One gateway and one browser serve every console test file; each
 * test opens its own browser contexts (separate session storage, so separate signed-in users).
 */

const REPO = path.resolve(__dirname, '../../..');
const MAIN = path.join(REPO, 'dist/gateway-api/src/main.js');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
];
/** Screenshots of each page, kept as test output (git-ignored). */
export const SCREENSHOT_DIR = path.join(REPO, 'test-output/console');

export interface DemoGateway {
  readonly baseUrl: string;
  readonly dataDir: string;
  /** The demo API key of a member, e.g. key('LiangdangMSP', 'merchant'). */
  key(mspId: string, member: string): string;
  /** The demo enterprise (credit code) of each county. */
  readonly enterprises: Record<string, string>;
  readonly listedAssetId?: string;
  readonly settledOrderId?: string;
  readonly pid: number;
}

let gateway: Promise<DemoGateway> | undefined;
let child: ChildProcess | undefined;
let browser: Promise<Browser> | undefined;
let dataDir: string | undefined;

function startGateway(): Promise<DemoGateway> {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'cl-console-'));
  // Every console test comes from 127.0.0.1: the /public budget per client IP (30 per 30 s by default) is raised for the run.
  const env = { ...process.env, DATA_DIR: path.join(dataDir, 'data'), PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', PUBLIC_RATE_BURST: '100000' };
  const proc = spawn(process.execPath, [MAIN], { env, stdio: ['ignore', 'pipe', 'pipe'], cwd: REPO });
  child = proc;
  return new Promise<DemoGateway>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`the demo gateway did not start in 120 s: ${output}`)), 120_000);
    proc.stderr?.on('data', (d: Buffer) => (output += d.toString('utf8')));
    proc.once('exit', (code) => reject(new Error(`the demo gateway exited with ${code}: ${output}`)));
    proc.stdout?.on('data', (d: Buffer) => {
      output += d.toString('utf8');
      const m = /County Ledger API on (http:\/\/127\.0\.0\.1:\d+) /.exec(output);
      if (!m) return;
      clearTimeout(timer);
      const keys = new Map<string, string>();
      for (const line of output.split('\n')) {
        const k = /^\s+([A-Za-z]+MSP)\s+(\S+)\s+\S+\s+(cl_\S+)\s*$/.exec(line);
        if (k) keys.set(`${k[1]}/${k[2]}`, k[3] as string);
      }
      const enterprises: Record<string, string> = {};
      for (const e of output.matchAll(/enterprise of (\S+)\s+(\S{18})/g)) enterprises[e[1] as string] = e[2] as string;
      const listed = /asset listed for sale\s+(\S+)/.exec(output)?.[1];
      const settled = /settled order \(deal evidence\)\s+(\S+)/.exec(output)?.[1];
      resolve({
        baseUrl: m[1] as string,
        dataDir: path.join(dataDir as string, 'data'),
        enterprises,
        ...(listed ? { listedAssetId: listed } : {}),
        ...(settled ? { settledOrderId: settled } : {}),
        pid: proc.pid as number,
        key(mspId, member) {
          const key = keys.get(`${mspId}/${member}`);
          if (!key) throw new Error(`no demo key for ${mspId}/${member}`);
          return key;
        },
      });
    });
  });
}

/** The shared demo gateway (started on first use, stopped after the whole run). */
export function demoGateway(): Promise<DemoGateway> {
  gateway ??= startGateway();
  return gateway;
}

export function sharedBrowser(): Promise<Browser> {
  browser ??= chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS, headless: true });
  return browser;
}

/** A fresh browser context: its own session storage (one signed-in user), a desktop or a phone-sized screen. */
export async function newContext(options: { phone?: boolean; forAxe?: boolean } = {}): Promise<BrowserContext> {
  const b = await sharedBrowser();
  // axe-core is injected as an inline script, which the console's content security policy refuses.
  const csp = options.forAxe ? { bypassCSP: true } : {};
  return b.newContext(
    options.phone
      ? { ...csp, viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN', timezoneId: 'Europe/Berlin' }
      : // A browser in another time zone than CST: the console must still show CST.
        { ...csp, viewport: { width: 1280, height: 900 }, locale: 'zh-CN', timezoneId: 'Europe/Berlin' },
  );
}

/**
 * A REST call as a demo member, for a test's setup and its checks of what was (not) written: the
 * JSON answer and its status; a fresh Idempotency-Key on every call that is not a GET.
 */
export async function callAs<T>(msp: string, member: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const g = await demoGateway();
  const response = await fetch(`${g.baseUrl}/api/v1${path}`, {
    method,
    headers: {
      authorization: `Bearer ${g.key(msp, member)}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(method === 'GET' ? {} : { 'idempotency-key': `console-test-${Math.random().toString(16).slice(2)}-${Date.now()}` }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as T };
}

/** Opens a console route (the part after `#`), e.g. open(page, '/blacklist'). */
export async function open(page: Page, route = '/'): Promise<void> {
  const g = await demoGateway();
  await page.goto(`${g.baseUrl}/#${route}`);
  await page.locator('#main').waitFor();
}

/** Signs in with a demo member's API key through the sign-in page. */
export async function signIn(page: Page, mspId: string, member: string): Promise<void> {
  const g = await demoGateway();
  await open(page, '/signin');
  await page.locator('#api-key').fill(g.key(mspId, member));
  await page.locator('[data-test="sign-in"]').click();
  await page.locator('[data-test="who"]').waitFor();
}

/** Keeps a full-page screenshot of what the user sees, named after the page and state. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** A value read in the page (the expression runs there: window, document and storage are the page's). */
export async function inPage<T>(page: Page, expression: string): Promise<T> {
  return (await page.evaluate(expression)) as T;
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[] }>;
}

/** axe-core's WCAG 2 A/AA checks on the page as it is now; the violations found. */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  const source = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  await page.addScriptTag({ content: source });
  // The function runs in the page: globalThis is its window.
  return page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run((globalThis as unknown as { document: unknown }).document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] } });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) }));
  });
}

// Stop what this run started, by the pid recorded, and remove the data folder.
after(async () => {
  if (browser) await (await browser.catch(() => undefined))?.close();
  if (child && child.exitCode === null) {
    const exited = new Promise((r) => child?.once('exit', r));
    process.kill(child.pid as number, 'SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    if (child.exitCode === null) process.kill(child.pid as number, 'SIGKILL');
  }
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});
