import { tx } from '../../chaincode/src/catalogue';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { FabricLedger } from '../../gateway-api/src/ledger/fabric/fabric-ledger';
import { openFabric } from '../../gateway-api/src/ledger/fabric/open-fabric';
import { FabricAppFixture, openFabricApp, removeDir, runId } from './fabric-fixture';
import { ROOT } from './peer-state';

const LIANGDANG = 'LiangdangMSP';
const RUN = process.env.NETWORK_RUN_DIR ?? path.join(ROOT, 'network/run');

/** `peer chaincode query` as Huixian's admin, with the county admin environment the network scripts write. */
function peerQuery(county: string, args: string[]): string {
  const script = `set -a; . "${path.join(RUN, 'env', `${county}.env`)}"; set +a; exec "${path.join(ROOT, '.fabric/bin/peer')}" chaincode query -C "$CHANNEL" -n countyledger -c "$1"`;
  return execFileSync('bash', ['-c', script, 'peer-query', JSON.stringify({ Args: args })], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

describe('on Fabric: the peer CLI as an outside client; chaincode events resumed from a checkpoint', function () {
  this.timeout(120_000);
  let f: FabricAppFixture;
  let admin: string;
  before(async () => {
    f = await openFabricApp(LIANGDANG);
    admin = await f.keyFor(LIANGDANG, 'admin');
  });
  after(async () => f.close());

  it('`peer chaincode query` (Huixian’s admin, Huixian’s peer) answers Membership:GetMember the same as GET /api/v1/members/:id (Liangdang’s gateway)', async () => {
    const member = `cli-${runId}`;
    for (const role of ['auditor', 'verifier']) {
      const r = await f.request('POST', `/api/v1/members/${LIANGDANG}:${member}/roles`, admin, { role });
      expect(r.statusCode, r.body).to.equal(201);
    }
    const api = await f.request('GET', `/api/v1/members/${LIANGDANG}:${member}`, admin);
    expect(api.statusCode).to.equal(200);
    // Huixian's peer may be a block behind Liangdang's for a moment
    let cli = '';
    for (let i = 0; i < 20; i++) {
      cli = peerQuery('huixian', [tx.membership.getMember.qualifiedName, JSON.stringify({ mspId: LIANGDANG, member })]).trim();
      if (JSON.parse(cli).roles?.length === 2) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(JSON.parse(cli)).to.deep.equal(api.json());
    expect(JSON.parse(cli).roles).to.deep.equal(['auditor', 'verifier']);
    // a chaincode refusal reaches the CLI with the same stable code
    let refusal = '';
    try {
      peerQuery('huixian', [tx.membership.getMember.qualifiedName, JSON.stringify({ mspId: 'NoSuchMSP', member: 'x', extra: 1 })]);
    } catch (err) {
      refusal = String((err as { stderr?: string }).stderr ?? err);
    }
    expect(refusal).to.match(/county-ledger:INVALID_ARGUMENT/);
  });

  it('events with a checkpoint file: consume some, close the ledger, reopen, continue with no gap and no duplicate', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cl-events-'));
    const checkpointFile = path.join(dir, 'events.checkpoint');
    const members = Array.from({ length: 9 }, (_, i) => `ev-${runId}-${i}`);
    const grant = (m: string) => f.request('POST', `/api/v1/members/${LIANGDANG}:${m}/roles`, admin, { role: 'auditor' });
    const startBlock = await f.ledger.height();
    // concurrently, so that several land in one block (the checkpoint must resume inside a block)
    const first = await Promise.all(members.slice(0, 6).map(grant));
    first.forEach((r) => expect(r.statusCode, r.body).to.equal(201));
    const blocks = new Set(first.map((r) => r.json().blockNumber));
    expect(blocks.size, 'several grants share a block').to.be.lessThan(6);

    const seen: string[] = [];
    const mine = (payload: Buffer) => members.find((m) => payload.toString('utf8').includes(`"${m}"`));
    const consume = async (ledger: FabricLedger, count: number) => {
      for await (const ev of ledger.events({ startBlock, checkpointFile })) {
        const m = mine(ev.payload);
        if (m) seen.push(m);
        if (seen.length === count) break;
      }
    };
    try {
      const a = await openFabric(dir, { ...process.env, FABRIC_MSP_ID: LIANGDANG });
      await consume(a.ledger, 4);
      await a.ledger.close();
      expect(readFileSync(checkpointFile, 'utf8')).to.match(/blockNumber/);

      // more transactions while no one listens
      for (const m of members.slice(6)) expect((await grant(m)).statusCode).to.equal(201);

      const b = await openFabric(dir, { ...process.env, FABRIC_MSP_ID: LIANGDANG });
      await consume(b.ledger, members.length);
      await b.ledger.close();
      const order = [
        ...first.map((r, i) => ({ m: members[i]!, block: r.json().blockNumber as number })),
        ...members.slice(6).map((m) => ({ m, block: Infinity })),
      ];
      expect(seen).to.have.members(members);
      expect(new Set(seen).size).to.equal(seen.length);
      // commit order: block by block
      const blockOf = new Map(order.map((o) => [o.m, o.block]));
      const seenBlocks = seen.map((m) => blockOf.get(m)!);
      expect([...seenBlocks].sort((x, y) => x - y)).to.deep.equal(seenBlocks);
    } finally {
      removeDir(dir);
    }
  });
});
