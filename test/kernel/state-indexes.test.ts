import { expect } from 'chai';
import { defineRecordType } from '../../chaincode/src/kernel/state';
import { Block } from '../../gateway-api/src/ledger/embedded/block-format';
import { expectLedgerError } from '../support/expect-error';
import { json, LedgerFixture, LIANGDANG, openLedgerFixture } from '../support/ledger-fixture';
import { ProbeItem, StateProbeContract } from '../support/state-probe-contract';
import { LedgerIdentity } from '../../gateway-api/src/ledger/ledger';

describe('kernel: record indexes (kernel/state.ts)', () => {
  let f: LedgerFixture;
  let user: LedgerIdentity;
  const call = (name: string, ...args: Array<string | number>) => ({ name: `StateProbe:${name}`, args: args.map(String) });
  const put = (item: ProbeItem) => f.ledger.submit(user, call('PutItem', JSON.stringify(item)));
  const keys = async (objectType: string) => json(await f.ledger.evaluate(user, call('Keys', objectType))) as string[][];
  const list = async (index: string, partial: string[], limit: number, cursor = '', from?: string[]) =>
    json(await f.ledger.evaluate(user, call('List', index, JSON.stringify(partial), limit, cursor, from ? JSON.stringify(from) : ''))) as {
      items: ProbeItem[];
      nextCursor?: string;
    };
  /** The write set of a committed transaction as the block records it: [key with attributes split, value or null]. */
  const writesOf = async (r: { txId: string; blockNumber: number }) => {
    const tx = ((await f.ledger.getBlock(r.blockNumber)) as Block).data.find((t) => t.txId === r.txId);
    return (tx?.rwset.writes ?? []).map(([k, v]) => [k.split('\u0000').filter(Boolean).join('/'), v === null ? null : 'value']);
  };

  beforeEach(async () => {
    f = await openLedgerFixture({ extraContracts: [StateProbeContract] });
    user = await f.identity(LIANGDANG, 'state-probe');
  });
  afterEach(async () => {
    await f.cleanup();
  });

  const item: ProbeItem = { id: 'x', group: 'g1', tags: ['a', 'b'], rank: '2', live: true };

  it('a multi-entry index keeps one key per attribute list: <type>~<index> + attributes + record key', async () => {
    await put(item);
    expect(await keys('probeitem~byTag')).to.deep.equal([
      ['a', '2', 'x'],
      ['b', '2', 'x'],
    ]);
    expect(await keys('probeitem~byGroup')).to.deep.equal([['g1', 'x']]);
  });

  it('an update writes only the index entries that change; a record leaving the index loses all its entries', async () => {
    await put(item);
    const moved = await put({ ...item, tags: ['b', 'c'] });
    expect(await writesOf(moved)).to.deep.equal([
      ['probeitem/x', 'value'],
      ['probeitem~byTag/a/2/x', null],
      ['probeitem~byTag/c/2/x', 'value'],
    ]);
    const ranked = await put({ ...item, tags: ['b', 'c'], rank: '3', group: 'g2' });
    expect(await writesOf(ranked)).to.deep.equal([
      ['probeitem/x', 'value'],
      ['probeitem~byGroup/g1/x', null],
      ['probeitem~byGroup/g2/x', 'value'],
      ['probeitem~byTag/b/2/x', null],
      ['probeitem~byTag/c/2/x', null],
      ['probeitem~byTag/b/3/x', 'value'],
      ['probeitem~byTag/c/3/x', 'value'],
    ]);
    await put({ ...item, tags: ['b', 'c'], rank: '3', group: 'g2', live: false });
    expect(await keys('probeitem~byTag')).to.deep.equal([]);
    expect(await keys('probeitem~byGroup')).to.deep.equal([['g2', 'x']]);
  });

  it('deleting a record deletes its entries in every index', async () => {
    await put(item);
    await f.ledger.submit(user, call('DeleteItem', 'x'));
    expect(await keys('probeitem')).to.deep.equal([]);
    expect(await keys('probeitem~byTag')).to.deep.equal([]);
    expect(await keys('probeitem~byGroup')).to.deep.equal([]);
  });

  it('lists and scans through a multi-entry index like through any other', async () => {
    await put(item);
    await put({ id: 'y', group: 'g1', tags: ['b'], rank: '1', live: true });
    expect((await list('byTag', ['b'], 10)).items.map((i) => i.id)).to.deep.equal(['y', 'x']);
    expect((await list('byTag', ['a'], 10)).items.map((i) => i.id)).to.deep.equal(['x']);
    expect(json(await f.ledger.evaluate(user, call('Scan', 'byTag', JSON.stringify(['b']), 1)))).to.deep.equal({ keys: [['y']], truncated: true });
  });

  it('a listing with a start position begins there, pages on with the cursor, and refuses cursors of other listings', async () => {
    for (const rank of ['1', '2', '3', '4', '5']) await put({ id: `i${rank}`, group: 'g', tags: ['t'], rank, live: true });
    const p1 = await list('byTag', ['t'], 2, '', ['3']);
    expect(p1.items.map((i) => i.rank)).to.deep.equal(['3', '4']);
    expect(p1.nextCursor).to.be.a('string');
    const p2 = await list('byTag', ['t'], 2, p1.nextCursor, ['3']);
    expect(p2.items.map((i) => i.rank)).to.deep.equal(['5']);
    expect(p2.nextCursor).to.equal(undefined);
    // Without a start position the same index lists from its first entry.
    expect((await list('byTag', ['t'], 2)).items.map((i) => i.rank)).to.deep.equal(['1', '2']);
    await expectLedgerError(
      f.ledger.evaluate(user, call('List', 'byTag', JSON.stringify(['u']), 2, p1.nextCursor as string, JSON.stringify(['3']))),
      'INVALID_ARGUMENT',
      /does not belong/,
    );
    // A cursor that decodes to nothing names no page of a listing with a start position.
    await expectLedgerError(
      f.ledger.evaluate(user, call('List', 'byTag', JSON.stringify(['t']), 2, 'A', JSON.stringify(['3']))),
      'INVALID_ARGUMENT',
      /does not belong/,
    );
    await expectLedgerError(
      f.ledger.evaluate(user, call('List', 'byTag', JSON.stringify(['t']), 2, 'a%b', JSON.stringify(['3']))),
      'INVALID_ARGUMENT',
      /malformed/,
    );
  });

  it('a record type may not declare the same index name twice', () => {
    expect(() =>
      defineRecordType<ProbeItem>({
        type: 'probeclash',
        keyArity: 1,
        keyOf: (i) => [i.id],
        indexes: { byTag: (i) => [i.group] },
        multiIndexes: { byTag: (i) => [[i.group]] },
      }),
    ).to.throw('declares index byTag twice');
  });
});
