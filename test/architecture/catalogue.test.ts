import { expect } from 'chai';
import Ajv from 'ajv8';
import path from 'node:path';
import { z } from 'zod';
import { allTransactions, tx } from '../../chaincode/src/catalogue';
import { cstDate } from '../../chaincode/src/kernel/time';
import { seedDemo } from '../../gateway-api/src/demo/seed';
import { BlobStore } from '../../gateway-api/src/evidence/blob-store';
import { DEFAULT_COUNTIES } from '../../gateway-api/src/identity/counties';
import { evaluate } from '../../gateway-api/src/ledger/calls';
import { AppFixture, openAppFixture } from '../support/app-fixture';
import { json } from '../support/ledger-fixture';

interface TransactionMetadata {
  readonly name: string;
  readonly tag?: string[];
  readonly parameters?: unknown[];
}

interface OpenApiDocument {
  readonly paths: Record<string, Record<string, { responses?: Record<string, { content?: Record<string, { schema?: object }> }> }>>;
}

describe('transaction catalogue', () => {
  let f: AppFixture;
  let metadata: Array<{ contract: string; tx: TransactionMetadata }>;
  let openapi: OpenApiDocument;

  before(async () => {
    f = await openAppFixture();
    const reader = await f.ledger.identity('LiangdangMSP', 'catalogue-reader');
    const md = json(await f.ledger.ledger.evaluate(reader, { name: 'org.hyperledger.fabric:GetMetadata', args: [] })) as {
      contracts: Record<string, { transactions: TransactionMetadata[] }>;
    };
    metadata = Object.entries(md.contracts)
      .filter(([contract]) => contract !== 'org.hyperledger.fabric')
      .flatMap(([contract, c]) => c.transactions.map((t) => ({ contract, tx: t })));
    openapi = (await f.request('GET', '/openapi.json')).json() as OpenApiDocument;
  });
  after(async () => f?.close());

  it('lists exactly the transactions of the contract metadata, each with the same kind and argument count', () => {
    const fromMetadata = metadata
      .map(({ contract, tx: t }) => `${contract}:${t.name} ${(t.tag ?? []).includes('SUBMIT') ? 'submit' : 'evaluate'} ${t.parameters?.length ?? 0}`)
      .sort();
    const fromCatalogue = allTransactions()
      .map((d) => `${d.qualifiedName} ${d.kind} ${d.input === undefined ? 0 : 1}`)
      .sort();
    expect(fromCatalogue).to.deep.equal(fromMetadata);
    expect(new Set(fromCatalogue).size).to.equal(fromCatalogue.length);
  });

  it('declares an output for every transaction (no unknown or any schema)', () => {
    const undeclared = allTransactions()
      .filter((d) => d.output instanceof z.ZodUnknown || d.output instanceof z.ZodAny)
      .map((d) => d.qualifiedName);
    expect(undeclared).to.deep.equal([]);
  });

  it('finds a wrong answer: an answer that does not match the output schema is refused', () => {
    expect(tx.membership.whoAmI.output.safeParse({ mspId: 'LiangdangMSP', member: 'x', isCountyAdmin: false, roles: ['regulator'] }).success).to.equal(true);
    expect(
      tx.membership.whoAmI.output.safeParse({ mspId: 'LiangdangMSP', member: 'x', isCountyAdmin: false, roles: ['regulator'], extra: 1 }).success,
    ).to.equal(false);
    expect(tx.membership.whoAmI.output.safeParse({ mspId: 'LiangdangMSP', member: 'x', roles: [] }).success).to.equal(false);
  });

  it('documents a 2xx response schema for every route of the OpenAPI document', () => {
    const missing: string[] = [];
    for (const [url, methods] of Object.entries(openapi.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        const ok = Object.entries(op.responses ?? {}).filter(([status]) => /^2\d\d$/.test(status));
        const documented = ok.some(([, r]) => Object.values(r.content ?? {}).some((c) => c.schema && Object.keys(c.schema).length > 0));
        if (!documented) missing.push(`${method.toUpperCase()} ${url}`);
      }
    }
    expect(missing).to.deep.equal([]);
    expect(Object.keys(openapi.paths).length).to.be.greaterThan(60);
  });

  it('real answers of the demo ledger validate against the schemas /openapi.json documents for them', async () => {
    const demo = await seedDemo(f.ledger.ledger, f.ledger.wallet, f.keys, DEFAULT_COUNTIES, new BlobStore(path.join(f.ledger.dir, 'demo-blobs')));
    const auditor = demo.keys.find((k) => k.mspId === 'LiangdangMSP' && k.member === 'auditor')?.apiKey as string;
    const liangdang = demo.enterprises.LiangdangMSP as string;
    const order = await evaluate(f.ledger.ledger, f.ledger.wallet.ledgerIdentity('LiangdangMSP', 'auditor'), tx.market.getOrder, {
      orderId: demo.settledOrderId as string,
    });
    const ajv = new Ajv({ strict: false, allErrors: true });
    const samples: Array<[string, string]> = [
      ['/members/me', '/api/v1/members/me'],
      ['/members', '/api/v1/members?mspId=LiangdangMSP&role=merchant'],
      ['/subjects/{code}', `/api/v1/subjects/${liangdang}`],
      ['/subjects', '/api/v1/subjects?county=LiangdangMSP'],
      ['/assets/{id}', `/api/v1/assets/${demo.listedAssetId}`],
      ['/assets', '/api/v1/assets?category=walnut-oil'],
      ['/assets/{id}/history', `/api/v1/assets/${order.assetId}/history`],
      ['/orders/{id}', `/api/v1/orders/${demo.settledOrderId}`],
      ['/trades', `/api/v1/trades?originCounty=LiangdangMSP&date=${cstDate(Date.parse(order.settlement?.at ?? order.updatedAt))}`],
      ['/parameters', '/api/v1/parameters'],
      ['/parameters/proposals', '/api/v1/parameters/proposals?status=adopted'],
      ['/counties', '/api/v1/counties'],
      ['/fund/balance', '/api/v1/fund/balance'],
      ['/blacklist/check/{code}', `/api/v1/blacklist/check/${liangdang}`],
      ['/public/blacklist', '/api/v1/public/blacklist'],
    ];
    const checked: string[] = [];
    for (const [documented, url] of samples) {
      const schema = openapi.paths[`/api/v1${documented}`]?.get?.responses?.['200']?.content?.['application/json']?.schema;
      expect(schema, `${documented} is documented`).to.be.an('object');
      const res = await f.request('GET', url, documented.startsWith('/public') ? undefined : auditor);
      expect(res.statusCode, `${url}: ${res.body}`).to.equal(200);
      const validate = ajv.compile(schema as object);
      expect(validate(res.json()), `${url}: ${ajv.errorsText(validate.errors)}`).to.equal(true);
      checked.push(documented);
    }
    expect(checked).to.have.length(samples.length);
  });
});
