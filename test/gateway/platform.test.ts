import http from 'node:http';
import { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { AppFixture, openAppFixture } from '../support/app-fixture';
import { HUIXIAN, LIANGDANG } from '../support/ledger-fixture';

/** The samples of a Prometheus text exposition: `name{labels}` → value. */
function samples(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\{[^}]*\})?) (\S+)$/.exec(line);
    expect(m, `not a sample line: ${line}`).to.not.equal(null);
    out.set((m as RegExpExecArray)[1] as string, Number((m as RegExpExecArray)[2]));
  }
  return out;
}

for (const overMessagePort of [false, true]) {
  describe(`gateway platform: health, OpenAPI, errors, events, audit${overMessagePort ? ' (ledger over a MessagePort)' : ''}`, () => {
    let f: AppFixture;
    let admin: string;
    before(async () => {
      f = await openAppFixture({ overMessagePort });
      admin = await f.keyFor(LIANGDANG, 'admin');
    });
    after(async () => f.close());

    it('GET /health is public and reports the ledger', async () => {
      const res = await f.request('GET', '/health');
      expect(res.statusCode).to.equal(200);
      expect(res.json()).to.include({ status: 'ok', ledger: 'embedded' });
    });

    const scrape = async () => {
      const res = await f.request('GET', '/metrics');
      expect(res.statusCode).to.equal(200);
      expect(res.headers['content-type']).to.match(/^text\/plain; version=0\.0\.4/);
      return res.body;
    };

    it('GET /metrics is public Prometheus text: requests by method, route and status, with a latency histogram of the same count', async () => {
      const me = 'method="GET",route="/api/v1/members/me",status="200"';
      const unmatched = 'county_ledger_http_requests_total{method="GET",route="unmatched",status="404"}';
      const before = samples(await scrape());
      await f.request('GET', '/api/v1/members/me', admin);
      await f.request('GET', '/api/v1/members/me', admin);
      await f.request('GET', '/api/v1/nowhere', admin);
      const after = samples(await scrape());
      const was = before.get(`county_ledger_http_requests_total{${me}}`) ?? 0;
      expect(after.get(`county_ledger_http_requests_total{${me}}`)).to.equal(was + 2);
      expect(after.get(`county_ledger_http_request_duration_seconds_count{${me}}`)).to.equal(was + 2);
      expect(after.get(`county_ledger_http_request_duration_seconds_bucket{le="+Inf",${me}}`)).to.equal(was + 2);
      expect(after.get(`county_ledger_http_request_duration_seconds_sum{${me}}`)).to.be.greaterThan(0);
      expect(after.get(unmatched)).to.equal((before.get(unmatched) ?? 0) + 1);
    });

    it("GET /metrics includes prom-client's default metrics: process, GC and event-loop lag", async () => {
      const text = await scrape();
      const got = samples(text);
      for (const name of [
        'process_cpu_user_seconds_total',
        'process_resident_memory_bytes',
        'process_start_time_seconds',
        'nodejs_eventloop_lag_seconds',
        'nodejs_heap_size_used_bytes',
      ]) {
        expect(got.has(name), name).to.equal(true);
      }
      expect(got.get('process_resident_memory_bytes')).to.be.greaterThan(0);
      expect(text).to.include('# TYPE nodejs_gc_duration_seconds histogram');
      expect(text).to.include('# TYPE nodejs_eventloop_lag_p99_seconds gauge');
    });

    it('serves the OpenAPI document with every API route, and the docs page, without a key', async () => {
      const res = await f.request('GET', '/openapi.json');
      expect(res.statusCode).to.equal(200);
      const doc = res.json();
      expect(doc.openapi).to.match(/^3\./);
      for (const p of ['/api/v1/members/me', '/api/v1/members/{id}/roles', '/api/v1/events', '/api/v1/audit/ledger']) {
        expect(doc.paths, p).to.have.property(p);
      }
      const grant = doc.paths['/api/v1/members/{id}/roles'].post;
      expect(grant.requestBody.content['application/json'].schema.properties.role.enum).to.include('verifier');
      const docs = await f.request('GET', '/docs/');
      expect(docs.statusCode).to.equal(200);
    });

    it('refuses an oversized JSON body with 413 PAYLOAD_TOO_LARGE, writing nothing', async () => {
      const height = await f.ledger.ledger.height();
      const res = await f.request('POST', `/api/v1/members/${LIANGDANG}:big/roles`, admin, { role: 'merchant', note: 'x'.repeat(2 * 1024 * 1024) });
      expect(res.statusCode).to.equal(413);
      expect(res.json().code).to.equal('PAYLOAD_TOO_LARGE');
      expect(await f.ledger.ledger.height()).to.equal(height);
    });

    it('answers unknown routes with a 404 problem', async () => {
      const res = await f.request('GET', '/api/v1/nowhere', admin);
      expect(res.statusCode).to.equal(404);
      expect(res.json().code).to.equal('NOT_FOUND');
    });

    it('GET /audit/ledger verifies the chain and reports the first broken block', async () => {
      await f.grant(LIANGDANG, 'auditor1', 'auditor');
      const auditor = await f.keyFor(LIANGDANG, 'auditor1');
      const ok = await f.request('GET', '/api/v1/audit/ledger', auditor);
      expect(ok.statusCode).to.equal(200);
      expect(ok.json()).to.include({ ok: true });
      const height = ok.json().height as number;
      expect(height).to.be.greaterThan(0);
      const store = f.ledger.ledger.store;
      const bytes = (await store.getBlockBytes(0)) as Buffer;
      await store.tamperWithBlockForTest(0, Buffer.from(bytes.toString('utf8').replace('auditor1', 'auditor2')));
      const broken = await f.request('GET', '/api/v1/audit/ledger', auditor);
      expect(broken.json()).to.include({ ok: false, firstBrokenBlock: 0 });
      await store.tamperWithBlockForTest(0, bytes);
    });

    it('events and the ledger audit need an API key, and refuse a bad starting block', async () => {
      expect((await f.request('GET', '/api/v1/events?fromBlock=0')).statusCode).to.equal(401);
      expect((await f.request('GET', '/api/v1/audit/ledger')).statusCode).to.equal(401);
      const bad = await f.request('GET', '/api/v1/events?fromBlock=-1', admin);
      expect(bad.statusCode).to.equal(400);
      expect(bad.json().code).to.equal('INVALID_ARGUMENT');
      const badId = await f.request('GET', '/api/v1/events', admin, undefined, { 'last-event-id': 'yesterday' });
      expect(badId.statusCode).to.equal(400);
    });

    it('streams chaincode events over SSE and resumes from Last-Event-ID', async () => {
      await f.grant(HUIXIAN, 'sse1', 'merchant');
      await f.grant(HUIXIAN, 'sse2', 'verifier');
      await f.app.listen({ host: '127.0.0.1', port: 0 });
      const port = (f.app.server.address() as AddressInfo).port;
      const read = (headers: Record<string, string>, url: string, want: number) =>
        new Promise<Array<{ id: string; event: string; data: any }>>((resolve, reject) => {
          const events: Array<{ id: string; event: string; data: any }> = [];
          const req = http.get({ host: '127.0.0.1', port, path: url, headers: { authorization: `Bearer ${admin}`, ...headers } }, (res) => {
            expect(res.headers['content-type']).to.match(/text\/event-stream/);
            let buf = '';
            res.on('data', (chunk: Buffer) => {
              buf += chunk.toString('utf8');
              let i: number;
              while ((i = buf.indexOf('\n\n')) >= 0) {
                const frame = buf.slice(0, i);
                buf = buf.slice(i + 2);
                const fields: Record<string, string> = Object.fromEntries(
                  frame
                    .split('\n')
                    .filter((l) => !l.startsWith(':') && l.includes(': '))
                    .map((l) => [l.slice(0, l.indexOf(': ')), l.slice(l.indexOf(': ') + 2)]),
                );
                if (fields.id) events.push({ id: fields.id, event: fields.event ?? '', data: JSON.parse(fields.data ?? 'null') });
                if (events.length === want) {
                  req.destroy();
                  resolve(events);
                }
              }
            });
          });
          req.on('error', (e) => (events.length === want ? undefined : reject(e)));
          setTimeout(() => reject(new Error(`timed out with ${events.length} events`)), 5000).unref();
        });
      const all = await read({}, '/api/v1/events?fromBlock=0', 3);
      expect(all.map((e) => e.event)).to.deep.equal(['membership.RoleGranted', 'membership.RoleGranted', 'membership.RoleGranted']);
      const blocks = all.map((e) => Number(e.id.split(':')[0]));
      expect(blocks).to.deep.equal([...blocks].sort((a, b) => a - b));
      const resumed = await read({ 'last-event-id': all[0]!.id }, '/api/v1/events', 2);
      expect(resumed.map((e) => e.id)).to.deep.equal([all[1]!.id, all[2]!.id]);
    });

    // Last, when the tests above have written blocks.
    it('GET /metrics reports the block height the ledger has', async () => {
      const height = await f.ledger.ledger.height();
      expect(height).to.be.greaterThan(0);
      expect(samples(await scrape()).get('county_ledger_block_height{ledger="embedded"}')).to.equal(height);
    });
  });
}
