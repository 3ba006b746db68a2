import { createHash, randomBytes } from 'node:crypto';
import { Page } from 'playwright-core';
import { buildCreditCode } from '../../chaincode/src/public';
import { DemoGateway, demoGateway, open } from './console-fixture';

/**
 * Setup for the trade console tests, made through the REST API (it is not what those tests are
 * about): a merchant member of its own and an enterprise of its own per county, so the tests of
 * other console files sharing the demo gateway (and the risk rules' pair counts) never meet them.
 */

export const DIVISIONS: Record<string, string> = { LiangdangMSP: '621228', HuixianMSP: '621227', FengxianMSP: '610330' };

/** A tag unique to this run, for member names, categories and payment references. */
export const runTag = (): string => randomBytes(4).toString('hex');

export async function call<T>(key: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const g = await demoGateway();
  const response = await fetch(`${g.baseUrl}/api/v1/${path.replace(/^\//, '')}`, {
    method,
    headers: {
      authorization: `Bearer ${key}`,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(method !== 'GET' ? { 'idempotency-key': `trade-${runTag()}${runTag()}` } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
}

/** A call that must succeed (2xx); its answer. */
export async function ok<T>(key: string, method: string, path: string, body?: unknown): Promise<T> {
  const answer = await call<T>(key, method, path, body);
  if (answer.status >= 300) throw new Error(`${method} ${path} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  return answer.body;
}

export interface TradeMerchant {
  readonly mspId: string;
  readonly member: string;
  readonly apiKey: string;
  readonly subjectId: string;
  readonly subjectName: string;
}

/**
 * A new merchant member of `mspId` (onboarded by the county admin, granted `merchant`) bound to a
 * new enterprise of the county, whose access is `access` ('pending' leaves it undecided).
 */
export async function newMerchant(g: DemoGateway, mspId: string, label: string, access: 'green' | 'pending' = 'green'): Promise<TradeMerchant> {
  const tag = runTag();
  const member = `${label}-${tag}`;
  const admin = g.key(mspId, 'admin');
  const regulator = g.key(mspId, 'regulator');
  const { apiKey } = await ok<{ apiKey: string }>(admin, 'POST', 'members', { member });
  await ok(admin, 'POST', `members/${mspId}:${member}/roles`, { role: 'merchant', note: 'console trade test' });
  const subjectId = buildCreditCode('91', DIVISIONS[mspId] as string, parseInt(tag, 16) % 900_000_000);
  const subjectName = `交易测试合作社 ${tag}`;
  await ok(regulator, 'POST', 'subjects', { creditCode: subjectId, name: subjectName });
  if (access === 'green') await ok(regulator, 'POST', `subjects/${subjectId}/access`, { status: 'green', evidenceRefs: ['console-trade-test'] });
  await ok(regulator, 'POST', `subjects/${subjectId}/merchants`, { member });
  return { mspId, member, apiKey, subjectId, subjectName };
}

/** Uploads a file as evidence through the API; its SHA-256. */
export async function uploadEvidence(key: string, content: Buffer, refs: Record<string, string[]>): Promise<string> {
  const g = await demoGateway();
  const form = new FormData();
  form.append('refs', JSON.stringify(refs));
  form.append('file', new Blob([new Uint8Array(content)], { type: 'text/plain' }), 'certification.txt');
  const response = await fetch(`${g.baseUrl}/api/v1/evidence`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'idempotency-key': `trade-${runTag()}${runTag()}` },
    body: form,
  });
  if (response.status >= 300) throw new Error(`evidence upload answered ${response.status}: ${await response.text()}`);
  return createHash('sha256').update(content).digest('hex');
}

/** An eco product of the seller, listed through the API with an anchored certification; its ID. */
export async function listedAsset(seller: TradeMerchant, category: string, priceFen: number): Promise<string> {
  const sha256 = await uploadEvidence(seller.apiKey, Buffer.from(`soil test ${category} ${runTag()}\n`), { subjectIds: [seller.subjectId] });
  const asset = await ok<{ result: { id: string } }>(seller.apiKey, 'POST', 'assets', {
    ownerSubjectId: seller.subjectId,
    kind: 'eco-product',
    title: `测试蜂蜜 ${category}`,
    category,
    costFen: Math.floor(priceFen / 2),
    priceFen,
    certifications: [{ kind: 'soil-test', sha256 }],
  });
  return asset.result.id;
}

/** Signs in on the sign-in page with an API key (a member made by the test, not a demo one). */
export async function signInWithKey(page: Page, apiKey: string): Promise<void> {
  await open(page, '/signin');
  await page.locator('#api-key').fill(apiKey);
  await page.locator('[data-test="sign-in"]').click();
  await page.locator('[data-test="who"]').waitFor();
}

/** An ISO time as the console shows it: CST, "YYYY-MM-DD HH:MM:SS CST". */
export function cst(iso: string): string {
  const f = new Intl.DateTimeFormat('sv-SE', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
  });
  return `${f.format(new Date(iso))} CST`;
}
