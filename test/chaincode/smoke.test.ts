import { expect } from 'chai';
import { json, LIANGDANG, openLedgerFixture } from '../support/ledger-fixture';

describe('smoke', () => {
  it('grants a role and reads it back', async () => {
    const f = await openLedgerFixture();
    try {
      const admin = await f.identity(LIANGDANG, 'admin1');
      const r = await f.ledger.submit(admin, { name: 'Membership:GrantRole', args: [JSON.stringify({ member: 'alice', role: 'merchant' })] });
      expect(r.blockNumber).to.equal(0);
      const alice = await f.identity(LIANGDANG, 'alice');
      const me = json(await f.ledger.evaluate(alice, { name: 'Membership:WhoAmI' }));
      expect(me.roles).to.deep.equal(['merchant']);
    } finally {
      await f.cleanup();
    }
  });
});
