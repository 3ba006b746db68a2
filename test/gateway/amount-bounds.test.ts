import { expect } from 'chai';
import { MAX_AMOUNT_FEN } from '../../chaincode/src/kernel/money';
import { AppFixture, openAppFixture } from '../support/app-fixture';
import { expectRefusedHttp, okJson } from '../support/fund-world';
import { LIANGDANG } from '../support/ledger-fixture';
import { World } from '../support/market-world';

const SUBJECT = '91350100M000100Y43';
const past = { periodFrom: '2025-01-01', periodTo: '2025-01-31' };

/** Every route body with an amount in fen: the path, the field, a body valid but for that field. */
const ROUTES: ReadonlyArray<[string, string, Record<string, unknown>]> = [
  ['/api/v1/assets', 'priceFen', { ownerSubjectId: SUBJECT, kind: 'rural-resource', title: 't', category: 'farmland-lease', costFen: 1, priceFen: 1 }],
  ['/api/v1/assets', 'costFen', { ownerSubjectId: SUBJECT, kind: 'rural-resource', title: 't', category: 'farmland-lease', costFen: 1, priceFen: 1 }],
  ['/api/v1/assets/as-1/listing', 'priceFen', { listed: true, priceFen: 1 }],
  ['/api/v1/orders', 'depositFen', { assetId: 'as-1', buyerSubjectId: SUBJECT, depositFen: 1, depositPaymentRef: 'pay:1' }],
  [`/api/v1/subjects/${SUBJECT}/access`, 'tradeLimitFen', { status: 'orange', tradeLimitFen: 1, evidenceRefs: ['doc:1'] }],
  [
    '/api/v1/ip/ip-1/licenses',
    'fixedFeeFen',
    {
      licenseeSubjectId: SUBJECT,
      categories: ['paper-cut'],
      territory: [LIANGDANG],
      termFrom: '2026-01-01',
      termTo: '2026-12-31',
      exclusive: false,
      fixedFeeFen: 1,
    },
  ],
  ['/api/v1/licenses/li-1/royalty-reports', 'salesFen', { ...past, salesFen: 1 }],
  ['/api/v1/fund/contributions', 'amountFen', { amountFen: 1, paymentRef: 'pay:1' }],
  ['/api/v1/fund/rounds', 'poolFen', { ...past, poolFen: 1, metrics: [{ metric: 'trade-volume', weightBp: 10000 }] }],
  ['/api/v1/fund/rounds/fr-1/disbursements', 'amountFen', { county: LIANGDANG, amountFen: 1, paymentRef: 'pay:1' }],
];

describe('gateway: every amount has an upper bound (MAX_AMOUNT_FEN), checked at input and stated in the OpenAPI document', () => {
  let f: AppFixture;
  let w: World;
  let key: string;
  before(async () => {
    f = await openAppFixture();
    w = World.over(f.ledger);
    await f.grant(LIANGDANG, 'reg-bounds', 'regulator');
    key = await f.keyFor(LIANGDANG, 'reg-bounds');
  });
  after(async () => f.close());

  it('one fen over the bound is 400 INVALID_ARGUMENT problem+json naming the caller’s field, before the ledger; nothing is written', async () => {
    for (const [url, field, body] of ROUTES) {
      const problem = await expectRefusedHttp(w, 400, 'INVALID_ARGUMENT', () => f.request('POST', url, key, { ...body, [field]: MAX_AMOUNT_FEN + 1 }));
      expect(problem.detail, `${url} ${field}`).to.equal(`body.${field}: must be at most ${MAX_AMOUNT_FEN} fen (¥10 billion, the upper bound of every amount)`);
    }
  });

  it('the OpenAPI document gives each of these fields its maximum and says so in its description', async () => {
    const doc = okJson(await f.request('GET', '/openapi.json'));
    for (const [url, field] of ROUTES) {
      const path = url.replace(/\/(as|ip|li|fr)-1\//, '/{id}/').replace(SUBJECT, '{code}');
      const operation = doc.paths[path]?.post;
      expect(operation, path).to.not.equal(undefined);
      const schema = operation.requestBody.content['application/json'].schema.properties[field];
      expect(schema, `${path} ${field}`).to.include({ maximum: MAX_AMOUNT_FEN });
      expect(schema.description, `${path} ${field}`).to.match(/to 1000000000000 \(¥10 billion\)/);
    }
  });
});
