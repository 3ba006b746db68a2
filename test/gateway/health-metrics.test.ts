import { expect } from 'chai';
import { tx } from '../../chaincode/src/catalogue';
import { AppFixture, openAppFixture } from '../support/app-fixture';
import { LIANGDANG } from '../support/ledger-fixture';

/** The value of one Prometheus sample (`name{labels}` exactly as exposed), 0 when absent. */
function sample(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

type Store = { commit: (...args: unknown[]) => Promise<void>; reopen: () => Promise<void> };

for (const overMessagePort of [false, true]) {
  describe(`gateway: /health/live, /health/ready and transaction metrics${overMessagePort ? ' (ledger over a MessagePort)' : ''}`, function () {
    this.timeout(30_000);
    let f: AppFixture;
    let admin: string;
    before(async () => {
      f = await openAppFixture({ overMessagePort, ledger: { recoveryDelayMs: 20 } });
      admin = await f.keyFor(LIANGDANG, 'admin');
    });
    after(async () => f.close());

    /** Makes the embedded ledger's block writes fail, and its reopening too, until the returned function is called. */
    function failBlockWrites(): () => void {
      const store = f.ledger.ledger.store as unknown as Store;
      const { commit, reopen } = store;
      store.commit = async () => {
        throw new Error('EIO: simulated write failure');
      };
      store.reopen = async () => {
        throw new Error('EIO: simulated reopen failure');
      };
      return () => {
        store.commit = commit;
        store.reopen = reopen;
      };
    }

    const grantVerifier = (member: string) => f.request('POST', `/api/v1/members/${LIANGDANG}:${member}/roles`, admin, { role: 'verifier' });

    it('GET /health/live and /health/ready are public and answer 200 on a ledger that serves; /health is unchanged', async () => {
      const live = await f.request('GET', '/health/live');
      expect(live.statusCode).to.equal(200);
      expect(live.json()).to.deep.equal({ status: 'live' });
      const ready = await f.request('GET', '/health/ready');
      expect(ready.statusCode).to.equal(200);
      expect(ready.json()).to.deep.equal({ status: 'ready', ledger: 'embedded', maxBlockLag: 5, height: await f.ledger.ledger.height() });
      const health = await f.request('GET', '/health');
      expect(health.json()).to.deep.equal({ status: 'ok', ledger: 'embedded', height: await f.ledger.ledger.height() });
    });

    it('a fail-stopped ledger is live but not ready (503 problem+json saying why); ready again once it recovers', async () => {
      const restore = failBlockWrites();
      try {
        expect((await grantVerifier('fs-1')).statusCode).to.equal(503);
        const live = await f.request('GET', '/health/live');
        expect(live.statusCode).to.equal(200);
        const ready = await f.request('GET', '/health/ready');
        expect(ready.statusCode).to.equal(503);
        expect(ready.headers['content-type']).to.match(/^application\/problem\+json/);
        const problem = ready.json();
        expect(problem).to.include({ status: 503, code: 'UNAVAILABLE', ready: false, ledger: 'embedded' });
        expect(problem.reasons).to.have.length(1);
        expect(problem.detail).to.match(/^not ready: /);
        expect(problem.reasons[0]).to.match(overMessagePort ? /cannot be read/ : /acknowledges nothing/);
      } finally {
        restore();
      }
      for (let i = 0; i < 200 && (await f.request('GET', '/health/ready')).statusCode !== 200; i++) await new Promise((r) => setTimeout(r, 25));
      expect((await f.request('GET', '/health/ready')).statusCode).to.equal(200);
      expect((await grantVerifier('fs-2')).statusCode).to.equal(201);
    });

    it('GET /metrics counts submitted, committed and failed transactions by transaction and code', async () => {
      const grant = `transaction="${tx.membership.grantRole.qualifiedName}"`;
      const before = (await f.request('GET', '/metrics')).body;
      expect((await grantVerifier('m-1')).statusCode).to.equal(201);
      // Granting a role again is refused by the chaincode (CONFLICT): a failed transaction with its code.
      expect((await grantVerifier('m-1')).statusCode).to.equal(409);
      const restore = failBlockWrites();
      try {
        expect((await grantVerifier('m-2')).statusCode).to.equal(503);
      } finally {
        restore();
      }
      // Scraped at once, while the ledger may still be recovering: /metrics answers all the same.
      const scraped = await f.request('GET', '/metrics');
      expect(scraped.statusCode).to.equal(200);
      const after = scraped.body;
      const delta = (series: string) => sample(after, series) - sample(before, series);
      expect(delta(`county_ledger_transactions_submitted_total{${grant}}`)).to.equal(3);
      expect(delta(`county_ledger_transactions_total{${grant},outcome="committed",code="VALID"}`)).to.equal(1);
      expect(delta(`county_ledger_transactions_total{${grant},outcome="failed",code="CONFLICT"}`)).to.equal(1);
      expect(delta(`county_ledger_transactions_total{${grant},outcome="failed",code="UNAVAILABLE"}`)).to.equal(1);
    });
  });
}
