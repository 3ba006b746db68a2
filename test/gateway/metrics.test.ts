import { expect } from 'chai';
import { AppFixture, openAppFixture } from '../support/app-fixture';
import { LIANGDANG } from '../support/ledger-fixture';

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

describe('gateway /metrics (prom-client)', () => {
  let f: AppFixture;
  let admin: string;
  before(async () => {
    f = await openAppFixture();
    admin = await f.keyFor(LIANGDANG, 'admin');
  });
  after(async () => f.close());

  const scrape = async () => {
    const res = await f.request('GET', '/metrics');
    expect(res.statusCode).to.equal(200);
    expect(res.headers['content-type']).to.match(/^text\/plain; version=0\.0\.4/);
    return res.body;
  };

  it('counts requests by method, route and status, with a latency histogram of the same count', async () => {
    const me = 'method="GET",route="/api/v1/members/me",status="200"';
    const before = samples(await scrape()).get(`county_ledger_http_requests_total{${me}}`) ?? 0;
    await f.request('GET', '/api/v1/members/me', admin);
    await f.request('GET', '/api/v1/members/me', admin);
    await f.request('GET', '/api/v1/nowhere', admin);
    const after = samples(await scrape());
    expect(after.get(`county_ledger_http_requests_total{${me}}`)).to.equal(before + 2);
    expect(after.get(`county_ledger_http_request_duration_seconds_count{${me}}`)).to.equal(before + 2);
    expect(after.get(`county_ledger_http_request_duration_seconds_bucket{le="+Inf",${me}}`)).to.equal(before + 2);
    expect(after.get(`county_ledger_http_request_duration_seconds_sum{${me}}`)).to.be.greaterThan(0);
    expect(after.get('county_ledger_http_requests_total{method="GET",route="unmatched",status="404"}')).to.equal(1);
  });

  it('reports the block height the ledger has', async () => {
    await f.grant(LIANGDANG, 'metrics-m', 'merchant');
    const height = await f.ledger.ledger.height();
    expect(height).to.be.greaterThan(0);
    expect(samples(await scrape()).get('county_ledger_block_height{ledger="embedded"}')).to.equal(height);
  });

  it("includes prom-client's default metrics: process, GC and event-loop lag", async () => {
    const text = await scrape();
    const got = samples(text);
    for (const name of ['process_cpu_user_seconds_total', 'process_resident_memory_bytes', 'process_start_time_seconds', 'nodejs_eventloop_lag_seconds', 'nodejs_heap_size_used_bytes']) {
      expect(got.has(name), name).to.equal(true);
    }
    expect(got.get('process_resident_memory_bytes')).to.be.greaterThan(0);
    expect(text).to.include('# TYPE nodejs_gc_duration_seconds histogram');
    expect(text).to.include('# TYPE nodejs_eventloop_lag_p99_seconds gauge');
  });
});
