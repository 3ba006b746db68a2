import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ClassicLevel } from 'classic-level';
import { PREFIX, SUBLEVELS } from '../../gateway-api/src/ledger/embedded/store-layout';

describe('ledger: the block store writes whole keys on the root database, as its sublevels read them', () => {
  it("PREFIX is abstract-level's own prefix of each sublevel, and a root put under it is read back through the sublevel", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cl-layout-'));
    const db = new ClassicLevel<string, Buffer>(dir, { keyEncoding: 'utf8', valueEncoding: 'buffer' });
    try {
      for (const name of SUBLEVELS) {
        const sub = db.sublevel<string, Buffer>(name, { keyEncoding: 'utf8', valueEncoding: 'buffer' });
        expect(sub.prefix, name).to.equal(PREFIX[name]);
        await db.batch([{ type: 'put', key: `${PREFIX[name]}k-${name}`, value: Buffer.from(name) }], { sync: true });
        expect((await sub.get(`k-${name}`))?.toString()).to.equal(name);
        // Not blind: the key without the prefix is not in the sublevel.
        await db.put(`k2-${name}`, Buffer.from('root'));
        expect(await sub.get(`k2-${name}`)).to.equal(undefined);
      }
    } finally {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
