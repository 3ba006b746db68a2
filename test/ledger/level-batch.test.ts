import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ClassicLevel } from 'classic-level';
import { writeBatch } from '../../gateway-api/src/ledger/embedded/level-batch';
import { PREFIX } from '../../gateway-api/src/ledger/embedded/store-layout';

describe('ledger: one LevelDB batch through the chained form (writeBatch)', () => {
  let dir: string;
  let db: ClassicLevel<string, Buffer>;
  beforeEach(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'cl-batch-'));
    db = new ClassicLevel<string, Buffer>(dir, { keyEncoding: 'utf8', valueEncoding: 'buffer' });
    await db.open();
  });
  afterEach(async () => {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('puts and deletes as the array form does, whole prefixed keys read back through the sublevel', async () => {
    await db.put('gone', Buffer.from('old'));
    await writeBatch(
      db,
      [
        { type: 'put', key: `${PREFIX.state}k1`, value: Buffer.from('v1') },
        { type: 'put', key: 'plain', value: Buffer.from([0, 255]) },
        { type: 'del', key: 'gone' },
      ],
      { sync: true },
    );
    const state = db.sublevel<string, Buffer>('state', { keyEncoding: 'utf8', valueEncoding: 'buffer' });
    expect((await state.get('k1'))?.toString()).to.equal('v1');
    expect(await db.get('plain')).to.deep.equal(Buffer.from([0, 255]));
    expect(await db.get('gone')).to.equal(undefined);
  });

  it('writes nothing when one operation is refused (a null key is no LevelDB key)', async () => {
    const writes = [
      { type: 'put' as const, key: 'a', value: Buffer.from('1') },
      { type: 'put' as const, key: null as unknown as string, value: Buffer.from('2') },
    ];
    // The chained batch writeBatch opens, to see that it is closed after the refusal.
    let opened: ReturnType<typeof db.batch> | undefined;
    const batchOf = db.batch.bind(db);
    (db as unknown as { batch: () => unknown }).batch = () => (opened = batchOf());
    let refused: unknown;
    try {
      await writeBatch(db, writes);
    } catch (err) {
      refused = err;
    } finally {
      (db as unknown as { batch: unknown }).batch = batchOf;
    }
    expect(refused).to.be.instanceOf(Error);
    expect(() => opened?.put('b', Buffer.from('3'))).to.throw(/not open/);
    expect(await db.get('a')).to.equal(undefined);
    // The database goes on: a later batch writes.
    await writeBatch(db, [{ type: 'put', key: 'c', value: Buffer.from('4') }]);
    expect(await db.get('c')).to.deep.equal(Buffer.from('4'));
    await db.del('c');
    const keys: string[] = [];
    for await (const k of db.keys()) keys.push(k);
    expect(keys).to.deep.equal([]);
  });
});
