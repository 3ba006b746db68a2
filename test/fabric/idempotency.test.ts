import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { expect } from 'chai';
import { tx } from '../../chaincode/src/catalogue';
import { buildApp } from '../../gateway-api/src/app';
import { ApiKeyStore } from '../../gateway-api/src/auth/api-keys';
import { Ledger, SubmitResult } from '../../gateway-api/src/ledger/ledger';
import { NONCE_BYTES, transactionIdOf } from '../../gateway-api/src/ledger/transaction-ids';
import { FabricAppFixture, openFabricApp, runId } from './fabric-fixture';

const LIANGDANG = 'LiangdangMSP';

describe('on Fabric: a retry after a lost answer is the same transaction', () => {
  let f: FabricAppFixture;
  before(async () => {
    f = await openFabricApp(LIANGDANG);
  });
  after(async () => f.close());

  it('a submit with a chosen nonce is named in advance; submitted again, the peer refuses the duplicate and the committed transaction is answered', async () => {
    const admin = await f.identity(LIANGDANG, 'admin');
    const member = `nonce-${runId}`;
    const request = { name: tx.membership.grantRole.qualifiedName, args: [JSON.stringify({ member, role: 'auditor' })], nonce: randomBytes(NONCE_BYTES) };
    const first = await f.ledger.submit(admin, request);
    expect(first.txId).to.equal(transactionIdOf(admin, request.nonce));
    const again = await f.ledger.submit(admin, request);
    expect(again.txId).to.equal(first.txId);
    expect(again.blockNumber).to.equal(first.blockNumber);
    expect(JSON.parse(again.payload.toString('utf8'))).to.deep.equal(JSON.parse(first.payload.toString('utf8')));
    expect((await f.ledger.getTransaction(first.txId))?.validationCode).to.equal('VALID');
    // granted once: a second grant would have been refused as a CONFLICT, not answered
    const roles = JSON.parse(
      (await f.ledger.evaluate(admin, { name: tx.membership.getMember.qualifiedName, args: [JSON.stringify({ mspId: LIANGDANG, member })] })).toString('utf8'),
    );
    expect(roles.roles).to.deep.equal(['auditor']);
  });

  it('Idempotency-Key: a gateway that lost its answer after the commit answers the retry with the committed transaction; the chain grows by that one only', async () => {
    const stateDir = path.join(f.dir, `gateway-lost-${runId}`);
    const keys = await ApiKeyStore.open(path.join(f.dir, `keys-lost-${runId}.json`));
    await f.identity(LIANGDANG, 'admin');
    const { apiKey } = await keys.create(LIANGDANG, 'admin');
    let committed: SubmitResult | undefined;
    const losing = new Proxy(f.ledger as Ledger, {
      get(target, property) {
        if (property === 'submit')
          return async (...args: Parameters<Ledger['submit']>) => {
            committed = await target.submit(...args);
            throw new Error('the answer was lost after the commit');
          };
        const value = Reflect.get(target, property, target) as unknown;
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
    const member = `lost-${runId}`;
    const grant = (app: Awaited<ReturnType<typeof buildApp>>) =>
      app.inject({
        method: 'POST',
        url: `/api/v1/members/${LIANGDANG}:${member}/roles`,
        headers: { authorization: `Bearer ${apiKey}`, 'idempotency-key': `lost-${runId}` },
        payload: { role: 'verifier' },
      });
    const first = await buildApp({ ledger: losing, keys, identities: f.wallet, stateDir });
    const lost = await grant(first);
    await first.close();
    expect(lost.statusCode).to.equal(500);
    expect(committed, 'the transaction committed').to.not.equal(undefined);
    const height = await f.ledger.height();

    const restarted = await buildApp({ ledger: f.ledger, keys, identities: f.wallet, stateDir });
    try {
      const retry = await grant(restarted);
      expect(retry.statusCode, retry.body).to.equal(201);
      expect(retry.json().txId).to.equal(committed?.txId);
      expect(retry.json().blockNumber).to.equal(committed?.blockNumber);
      expect(await f.ledger.height(), 'no new block for the retry').to.equal(height);
    } finally {
      await restarted.close();
    }
  });
});
