import { expect } from 'chai';
import { LightMyRequestResponse } from 'fastify';
import { AppFixture, openAppFixture } from '../support/app-fixture';
import { LIANGDANG } from '../support/ledger-fixture';

interface Operation {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** OpenAPI path, e.g. /api/v1/orders/{id}. */
  readonly path: string;
  readonly parameters: ReadonlyArray<{
    in: string;
    name: string;
    schema?: { maxLength?: number; pattern?: string; enum?: unknown[]; minimum?: number; maximum?: number; type?: string };
  }>;
  readonly jsonBody: boolean;
  readonly security?: unknown[];
}

/** Routes anyone may call without an API key: health and metrics, and the rate-limited disclosure routes. */
const PUBLIC_ROUTES = [
  'GET /health',
  'GET /health/live',
  'GET /health/ready',
  'GET /metrics',
  'GET /api/v1/public/blacklist',
  'GET /api/v1/public/fund',
  'GET /api/v1/public/trades',
  'GET /api/v1/public/evidence/{sha256}',
  'GET /api/v1/public/counties',
  'GET /api/v1/public/price-indexes',
];

function operationsOf(doc: {
  paths: Record<string, Record<string, { parameters?: Operation['parameters']; requestBody?: { content: Record<string, unknown> }; security?: unknown[] }>>;
}): Operation[] {
  const ops: Operation[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      ops.push({
        method: method.toUpperCase() as Operation['method'],
        path,
        parameters: op.parameters ?? [],
        jsonBody: op.requestBody?.content['application/json'] !== undefined,
        ...(op.security ? { security: op.security } : {}),
      });
    }
  }
  return ops;
}

/** A concrete URL for an operation: every path parameter filled with `value(name)`. */
function urlOf(op: Operation, value: (name: string) => string = () => 'x1'): string {
  return op.path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(value(name)));
}

function expectProblem(res: LightMyRequestResponse, status: number, code: string, what: string): void {
  expect(res.statusCode, `${what}: ${res.body.slice(0, 200)}`).to.equal(status);
  expect(res.headers['content-type'], what).to.match(/^application\/problem\+json/);
  expect(res.json().code, what).to.equal(code);
}

// Every route the gateway serves, taken from its own OpenAPI document, so a route added later is covered too.
describe('gateway: every route — who may call it and what input it takes', () => {
  let f: AppFixture;
  let ops: Operation[];
  before(async () => {
    // Every route is tried with wrong keys from one client IP: far more failures than the default limit allows.
    f = await openAppFixture({ settings: { authFailureLimit: { max: 1_000_000, windowMs: 60_000 } } });
    await f.app.ready();
    ops = operationsOf(f.app.swagger() as never);
  });
  after(async () => {
    await f?.close();
  });

  it('the OpenAPI document lists the routes this test walks', () => {
    expect(ops.length).to.be.greaterThan(90);
    for (const r of PUBLIC_ROUTES)
      expect(
        ops.map((o) => `${o.method} ${o.path}`),
        r,
      ).to.include(r);
  });

  it('refuses a missing, malformed or unknown API key with 401 on every route but the public ones, before the ledger', async () => {
    const height = await f.ledger.ledger.height();
    const unknownKey = `cl_0123456789abcdef_${'A'.repeat(43)}`;
    const open: string[] = [];
    for (const op of ops) {
      const name = `${op.method} ${op.path}`;
      const payload = op.method === 'POST' || op.method === 'PUT' ? {} : undefined;
      const without = await f.request(op.method, urlOf(op), undefined, payload);
      if (without.statusCode !== 401) {
        open.push(name);
        continue;
      }
      expectProblem(without, 401, 'UNAUTHENTICATED', `${name} without a key`);
      expectProblem(
        await f.request(op.method, urlOf(op), undefined, payload, { authorization: 'Bearer not-a-key' }),
        401,
        'UNAUTHENTICATED',
        `${name} malformed key`,
      );
      expectProblem(await f.request(op.method, urlOf(op), unknownKey, payload), 401, 'UNAUTHENTICATED', `${name} unknown key`);
    }
    expect(open.sort(), 'routes answering without an API key').to.deep.equal([...PUBLIC_ROUTES].sort());
    // The document says so too: the disclosure routes declare no security requirement.
    for (const op of ops.filter((o) => o.path.startsWith('/api/v1/public/'))) expect(op.security, `${op.method} ${op.path}`).to.deep.equal([]);
    expect(await f.ledger.ledger.height(), 'no refused request reached the ledger').to.equal(height);
  });

  it('refuses a body of the wrong shape with 400 on every route that takes JSON, before the ledger', async () => {
    const key = await f.keyFor(LIANGDANG, 'admin');
    const height = await f.ledger.ledger.height();
    const bodied = ops.filter((o) => o.jsonBody);
    expect(bodied.length).to.be.greaterThan(40);
    for (const op of bodied) {
      for (const body of [[1, 2], 'text', 42]) {
        const res = await f.app.inject({
          method: op.method,
          url: urlOf(op),
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          payload: JSON.stringify(body),
        });
        expectProblem(res, 400, 'INVALID_ARGUMENT', `${op.method} ${op.path} with body ${JSON.stringify(body)}`);
      }
      const broken = await f.app.inject({
        method: op.method,
        url: urlOf(op),
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        payload: '{"unterminated":',
      });
      expectProblem(broken, 400, 'INVALID_ARGUMENT', `${op.method} ${op.path} with malformed JSON`);
    }
    expect(await f.ledger.ledger.height(), 'no refused request reached the ledger').to.equal(height);
  });

  it('refuses a bad page size on every paginated list, and an out-of-shape path parameter, with 400', async () => {
    const key = await f.keyFor(LIANGDANG, 'admin');
    const height = await f.ledger.ledger.height();
    const paginated = ops.filter((o) => o.parameters.some((p) => p.in === 'query' && p.name === 'limit'));
    expect(paginated.length).to.be.greaterThan(20);
    for (const op of paginated) {
      for (const limit of ['0', '-1', 'ten', '1000000', '2.5']) {
        const res = await f.request(op.method, `${urlOf(op)}?limit=${limit}`, key);
        expectProblem(res, 400, 'INVALID_ARGUMENT', `${op.method} ${op.path}?limit=${limit}`);
      }
    }
    // Path parameters with a declared shape (length, pattern or enumeration): a 2,000-character value fits none.
    let checked = 0;
    for (const op of ops) {
      const shaped = op.parameters.filter(
        (p) => p.in === 'path' && p.schema && (p.schema.maxLength !== undefined || p.schema.pattern !== undefined || p.schema.enum !== undefined),
      );
      if (shaped.length === 0 || op.path.startsWith('/api/v1/public/')) continue;
      for (const param of shaped) {
        const url = urlOf(op, (name) => (name === param.name ? 'z'.repeat(2000) : 'x1'));
        const payload = op.method === 'POST' || op.method === 'PUT' ? {} : undefined;
        const res = await f.request(op.method, url, key, payload);
        expectProblem(res, 400, 'INVALID_ARGUMENT', `${op.method} ${op.path} with a 2,000-character ${param.name}`);
        checked++;
      }
    }
    expect(checked).to.be.greaterThan(20);
    // Refused by the router itself, before any route: still problem+json with one of our codes.
    expectProblem(await f.request('GET', '/api/v1/orders/%E0%A4%A', key), 400, 'INVALID_ARGUMENT', 'bad percent-encoding');
    expectProblem(await f.request('GET', `/api/v1/orders/${'o'.repeat(101)}`), 400, 'INVALID_ARGUMENT', 'a 101-character parameter, without a key');
    expect(await f.ledger.ledger.height(), 'no refused request reached the ledger').to.equal(height);
  });
});
