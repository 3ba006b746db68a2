import { tx } from '../../chaincode/src/catalogue';
import path from 'node:path';
import { expect } from 'chai';
import { chainDigest, GENESIS_DIGEST, QueryTrail } from '../../gateway-api/src/audit/query-trail';
import { HUIXIAN, LIANGDANG, LedgerFixture, openLedgerFixture } from '../support/ledger-fixture';
import { sleep } from '../support/expect-error';

describe('gateway: blacklist query audit trail (hash chain anchored on the ledger)', () => {
  let f: LedgerFixture;
  let trail: QueryTrail;
  let enf: { mspId: string; member: string; identity: any };

  beforeEach(async () => {
    f = await openLedgerFixture();
    const admin = await f.identity(LIANGDANG, 'admin');
    await f.identity(LIANGDANG, 'enf-a');
    await f.ledger.submit(admin, { name: tx.membership.grantRole.qualifiedName, args: [JSON.stringify({ member: 'enf-a', role: 'enforcement' })] });
    enf = { mspId: LIANGDANG, member: 'enf-a', identity: await f.identity(LIANGDANG, 'enf-a') };
    trail = await QueryTrail.open(path.join(f.dir, 'trail'), f.ledger, { anchorEvery: 5, anchorIntervalMs: 0 });
  });
  afterEach(async () => {
    await trail.close();
    await f.cleanup();
  });

  const lookups = (n: number, from = 0) => Array.from({ length: n }, (_, i) => ({ kind: 'check' as const, code: `code-${from + i}` }));

  it('chains every entry to the previous one and anchors every N entries by itself', async () => {
    const first = await trail.append(enf, lookups(3));
    expect(first[0]?.digest).to.equal(chainDigest(GENESIS_DIGEST, { ...first[0]!, digest: undefined } as never));
    await trail.append(enf, lookups(3, 3));
    for (let i = 0; i < 50; i++) {
      const verified = await trail.verify(LIANGDANG, enf.identity);
      if (verified.anchors > 0) break;
      await sleep(20);
    }
    const v = await trail.verify(LIANGDANG, enf.identity);
    expect(v).to.include({ ok: true, entries: 6, anchors: 1, anchoredThrough: 6, unanchoredEntries: 0 });
    // Another county's callers have their own chain.
    const other = { mspId: HUIXIAN, member: 'x', identity: await f.identity(HUIXIAN, 'x') };
    await trail.append(other, lookups(1));
    expect((await trail.list(HUIXIAN, 10)).items.map((e) => e.seq)).to.deep.equal([1]);
  });

  it('detects a rewritten entry, a recomputed chain and removed entries', async () => {
    await trail.append(enf, lookups(3));
    await trail.anchor(LIANGDANG, enf.identity);
    expect((await trail.verify(LIANGDANG, enf.identity)).ok).to.equal(true);
    const key = `${LIANGDANG}/e/${String(2).padStart(16, '0')}`;
    const original = await trail.db.get(key);
    const entry = JSON.parse(original!);

    // An edited entry no longer matches its digest.
    await trail.db.put(key, JSON.stringify({ ...entry, code: 'someone-else' }));
    let v = await trail.verify(LIANGDANG, enf.identity);
    expect(v).to.include({ ok: false, firstBadEntry: 2 });

    // A consistently recomputed chain no longer matches the ledger's anchor.
    let digest = GENESIS_DIGEST;
    for (let seq = 1; seq <= 3; seq++) {
      const k = `${LIANGDANG}/e/${String(seq).padStart(16, '0')}`;
      const { digest: _d, ...body } = JSON.parse((await trail.db.get(k))!);
      digest = chainDigest(digest, body);
      await trail.db.put(k, JSON.stringify({ ...body, digest }));
    }
    v = await trail.verify(LIANGDANG, enf.identity);
    expect(v.ok).to.equal(false);
    expect(v.problem).to.match(/anchor 1 .* does not match/);

    // Removing the anchored tail is seen too.
    await trail.db.put(key, original!);
    await trail.db.del(`${LIANGDANG}/e/${String(3).padStart(16, '0')}`);
    v = await trail.verify(LIANGDANG, enf.identity);
    expect(v.ok).to.equal(false);
  });
});
