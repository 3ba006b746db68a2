import { tx } from '../../chaincode/src/catalogue';
import { expect } from 'chai';
import { LightMyRequestResponse } from 'fastify';
import { cstDate } from '../../chaincode/src/kernel/time';
import { FENGXIAN, HUIXIAN, LIANGDANG } from './ledger-fixture';
import { COUNTY_NAMES, ensureCounties, governmentCode, hex64, registerEnterprise, Who, World } from './market-world';

export const COUNTIES = [LIANGDANG, HUIXIAN, FENGXIAN] as const;
export { COUNTY_NAMES, governmentCode };

/** Each county's admin registers its county (with the government's credit code), unless already registered. */
export async function registerCounties(w: World, counties: readonly string[] = COUNTIES): Promise<void> {
  await ensureCounties(w, counties);
}

/** Today's CST date by the (possibly moved) clock the embedded ledger uses. */
export function today(): string {
  return cstDate(Date.now());
}

export interface Trader {
  readonly county: string;
  readonly subject: string;
  readonly merchant: Who;
  readonly merchantName: string;
  readonly certSha: string;
}

let traderSerial = 0;

/** A green enterprise of a county with a bound merchant and anchored certification evidence. */
export async function trader(w: World, county: string, regulator: Who): Promise<Trader> {
  const merchantName = `m-${county.toLowerCase().replace(/msp$/, '')}-${++traderSerial}`;
  const merchant = await w.member(county, merchantName, 'merchant');
  const subject = await registerEnterprise(w, regulator, county, 'green');
  await w.submit(regulator, tx.subjects.bindMerchant, { subjectId: subject, member: merchantName });
  const certSha = hex64(`certificate of ${subject}`);
  await w.submit(merchant, tx.evidence.anchor, {
    sha256: certSha,
    sm3: hex64(`sm3 ${certSha}`),
    sizeBytes: 1024,
    mediaType: 'application/pdf',
    refs: { subjectIds: [subject] },
  });
  return { county, subject, merchant, merchantName, certSha };
}

/** Lists an eco product of the seller, orders it for the buyer, verifies and settles; answers the settled order. */
export async function sale(
  w: World,
  seller: Trader,
  buyer: Trader,
  verifier: Who,
  priceFen: number,
  kind: 'eco-product' | 'rural-resource' = 'eco-product',
): Promise<any> {
  const asset = await w.submit(seller.merchant, tx.market.registerAsset, {
    ownerSubjectId: seller.subject,
    kind,
    title: `goods of ${seller.subject}`,
    category: kind === 'eco-product' ? 'honey' : 'farmland-lease',
    costFen: Math.floor(priceFen / 2),
    priceFen,
    ...(kind === 'eco-product' ? { certifications: [{ kind: 'soil-test', sha256: seller.certSha }] } : {}),
  });
  const o = await w.submit(buyer.merchant, tx.market.placeOrder, {
    assetId: asset.id,
    buyerSubjectId: buyer.subject,
    depositFen: Math.max(1, Math.floor(priceFen / 10)),
    depositPaymentRef: 'pay:dep',
  });
  expect(o.status, 'order not suspended by a risk rule').to.equal('ordered');
  await w.submit(verifier, tx.market.recordVerification, { orderId: o.id, result: 'pass', evidenceRefs: ['doc:inspection'] });
  return w.submit(buyer.merchant, tx.market.settleOrder, { orderId: o.id, paymentRef: `pay:bal-${o.id.slice(2, 14)}` });
}

/**
 * Sends a request that must be refused with `status`/`code` and checks that nothing was written:
 * the same world state and the same ledger height before and after.
 */
export async function expectRefusedHttp(w: World, status: number, code: string, send: () => Promise<LightMyRequestResponse>, detail?: RegExp): Promise<any> {
  const height = await w.f.ledger.height();
  const state = await w.worldState();
  const res = await send();
  expect(res.statusCode, res.body).to.equal(status);
  expect(res.headers['content-type']).to.match(/^application\/problem\+json/);
  const body = res.json();
  expect(body.code, res.body).to.equal(code);
  if (detail) expect(body.detail).to.match(detail);
  expect(await w.f.ledger.height(), 'ledger height after a refusal').to.equal(height);
  expect(await w.worldState(), 'world state after a refusal').to.deep.equal(state);
  return body;
}

/** Answers the result of a 201 submit answer, failing with the problem otherwise. */
export function created(res: LightMyRequestResponse): any {
  expect(res.statusCode, res.body).to.equal(201);
  return res.json().result;
}

export function okJson(res: LightMyRequestResponse): any {
  expect(res.statusCode, res.body).to.equal(200);
  return res.json();
}
