// The fixture loads fabric-contract-api, whose reflect-metadata polyfill @peculiar/x509 needs: import it first.
import { FENGXIAN, HUIXIAN, LIANGDANG } from '../support/ledger-fixture';
import { tx } from '../../chaincode/src/catalogue';
import { expect } from 'chai';
import { createCountyCa, issueIdentity, privateKeyObject } from '../../gateway-api/src/identity/county-ca';
import { Block, dataHash, GENESIS_PREVIOUS_HASH, headerHash, serializeBlock } from '../../gateway-api/src/ledger/embedded/block-format';
import { auditChain } from '../../gateway-api/src/ledger/embedded/chain-audit';
import { LedgerIdentity } from '../../gateway-api/src/ledger/ledger';
import { expectLedgerError } from '../support/expect-error';
import { openProbeFixture, probe, ProbeFixture } from '../support/probe';

async function allBlocks(f: ProbeFixture): Promise<Block[]> {
  const blocks: Block[] = [];
  const height = await f.ledger.height();
  for (let n = 0; n < height; n++) blocks.push((await f.ledger.getBlock(n)) as Block);
  return blocks;
}

describe('embedded ledger: blocks, chain verification and transaction lookup', () => {
  let f: ProbeFixture;
  afterEach(async () => {
    await f?.cleanup();
  });

  describe('block cutting', () => {
    it('every committed transaction lands in exactly one block, and concurrent ones share blocks', async () => {
      f = await openProbeFixture();
      const results = await Promise.all(Array.from({ length: 120 }, (_, i) => f.submit('Put', `k${i}`, `v${i}`)));
      const blocks = await allBlocks(f);
      const placed = new Map<string, number>();
      for (const block of blocks) {
        expect(block.metadata.validationCodes).to.have.length(block.data.length);
        block.data.forEach((tx, i) => {
          expect(placed.has(tx.txId), `${tx.txId} appears twice`).to.equal(false);
          placed.set(tx.txId, block.header.number);
          expect(block.metadata.validationCodes[i]).to.equal('VALID');
        });
      }
      expect(placed.size).to.equal(120);
      for (const r of results) expect(placed.get(r.txId)).to.equal(r.blockNumber);
      // Cutting blocks: far fewer blocks than transactions under concurrency.
      expect(blocks.length).to.be.lessThan(results.length);
    });

    it('never puts more than maxBlockTransactions into one block', async () => {
      f = await openProbeFixture({ ledger: { maxBlockTransactions: 7 } });
      await Promise.all(Array.from({ length: 60 }, (_, i) => f.submit('Put', `k${i}`, 'v')));
      const blocks = await allBlocks(f);
      expect(blocks.reduce((n, b) => n + b.data.length, 0)).to.equal(60);
      for (const b of blocks) expect(b.data.length).to.be.within(1, 7);
    });

    it('records what a Fabric block records: creator, signature, read/write set, endorsements of a majority of counties', async () => {
      f = await openProbeFixture();
      await f.submit('Put', 'a', '1');
      const r = await f.submit('PutThenGet', 'a', '2');
      const tx = (await f.ledger.getBlock(r.blockNumber))?.data[0];
      expect(tx?.txId).to.equal(r.txId);
      expect(tx?.creator.mspId).to.equal(LIANGDANG);
      expect(tx?.creator.certificate).to.equal(f.user.certificate);
      expect(tx?.transaction).to.deep.equal(probe('PutThenGet', 'a', '2'));
      expect(tx?.rwset.reads).to.deep.equal([['a', '0:0']]);
      expect(tx?.rwset.writes).to.deep.equal([['a', Buffer.from('2').toString('base64')]]);
      expect(tx?.signature).to.be.a('string').and.not.equal('');
      // The caller's county first, then the next county in the configured order: two of three.
      expect(tx?.endorsements.map((e) => e.mspId)).to.deep.equal([LIANGDANG, HUIXIAN]);
      expect(tx?.endorsements.map((e) => e.endorser)).to.deep.equal(['peer0.liangdang', 'peer0.huixian']);
      for (const e of tx?.endorsements ?? []) expect(e.certificate).to.equal(f.wallet.endorsers()[e.mspId]?.certificate);
      // The block is signed by the ordering node, outside the data hash.
      const block = (await f.ledger.getBlock(r.blockNumber)) as Block;
      expect(block.metadata.signatures.map((s) => [s.mspId, s.orderer])).to.deep.equal([['LiangdangOrdererMSP', 'orderer0.liangdang']]);
    });

    it('has a Fengxian caller endorsed by Fengxian first, then Liangdang', async () => {
      f = await openProbeFixture();
      const fengxian = await f.identity(FENGXIAN, 'fx-user');
      const r = await f.ledger.submit(fengxian, probe('Put', 'k', 'v'));
      const tx = (await f.ledger.getBlock(r.blockNumber))?.data[0];
      expect(tx?.endorsements.map((e) => e.mspId)).to.deep.equal([FENGXIAN, LIANGDANG]);
    });
  });

  describe('hash chain', () => {
    it('links each block to the previous header hash and to the hash of its own data', async () => {
      f = await openProbeFixture();
      for (let i = 0; i < 4; i++) await f.submit('Put', `k${i}`, 'v');
      const blocks = await allBlocks(f);
      expect(blocks).to.have.length(4);
      expect(blocks[0]?.header.previousHash).to.equal(GENESIS_PREVIOUS_HASH);
      blocks.forEach((b, n) => {
        expect(b.header.number).to.equal(n);
        expect(b.header.dataHash).to.equal(dataHash(b.data));
        if (n > 0) expect(b.header.previousHash).to.equal(headerHash((blocks[n - 1] as Block).header));
      });
      expect(await f.ledger.verifyChain()).to.deep.equal({ ok: true, height: 4, blocksChecked: 4, transactionsChecked: 4, signaturesChecked: true });
    });

    it('verifies an empty chain', async () => {
      f = await openProbeFixture();
      expect(await f.ledger.verifyChain()).to.deep.equal({ ok: true, height: 0, blocksChecked: 0, transactionsChecked: 0, signaturesChecked: true });
    });

    it('detects a transaction changed inside a stored block and names that block', async () => {
      f = await openProbeFixture();
      for (let i = 0; i < 5; i++) await f.submit('Put', `k${i}`, `v${i}`);
      expect((await f.ledger.verifyChain()).ok).to.equal(true);
      const block = (await f.ledger.getBlock(2)) as Block;
      const forged: Block = {
        ...block,
        data: block.data.map((tx) => ({ ...tx, transaction: { ...tx.transaction, args: ['k2', 'forged'] } })),
      };
      await f.ledger.store.tamperWithBlockForTest(2, serializeBlock(forged));
      const v = await f.ledger.verifyChain();
      expect(v.ok).to.equal(false);
      expect(v.firstBrokenBlock).to.equal(2);
      expect(v.blocksChecked).to.equal(2);
      expect(v.problem).to.match(/data hash/);
    });

    it('detects a forged block whose data hash was recomputed: by its orderer signature, and by the next block without signatures', async () => {
      f = await openProbeFixture();
      for (let i = 0; i < 5; i++) await f.submit('Put', `k${i}`, `v${i}`);
      const block = (await f.ledger.getBlock(1)) as Block;
      const data = block.data.map((tx) => ({ ...tx, transaction: { ...tx.transaction, args: ['k1', 'forged'] } }));
      const forged: Block = { ...block, header: { ...block.header, dataHash: dataHash(data) }, data };
      await f.ledger.store.tamperWithBlockForTest(1, serializeBlock(forged));
      const v = await f.ledger.verifyChain();
      expect(v).to.include({ ok: false, firstBrokenBlock: 1 });
      expect(v.problem).to.match(/block signature of LiangdangOrdererMSP does not verify/);
      // The structural audit alone (the store's check at start) sees it at the next block's link.
      const structural = await auditChain(f.ledger.store);
      expect(structural).to.include({ ok: false, firstBrokenBlock: 2, signaturesChecked: false });
      expect(structural.problem).to.match(/previous-block hash/);
    });

    it('detects a rewritten last block against the recorded chain head', async () => {
      f = await openProbeFixture();
      for (let i = 0; i < 3; i++) await f.submit('Put', `k${i}`, `v${i}`);
      const block = (await f.ledger.getBlock(2)) as Block;
      const data = block.data.map((tx) => ({ ...tx, transaction: { ...tx.transaction, args: ['k2', 'forged'] } }));
      await f.ledger.store.tamperWithBlockForTest(2, serializeBlock({ ...block, header: { ...block.header, dataHash: dataHash(data) }, data }));
      expect(await f.ledger.verifyChain()).to.include({ ok: false, firstBrokenBlock: 2 });
    });

    it('detects a block that cannot be parsed, or that carries the wrong number', async () => {
      f = await openProbeFixture();
      for (let i = 0; i < 3; i++) await f.submit('Put', `k${i}`, `v${i}`);
      const original = (await f.ledger.getBlock(0)) as Block;
      await f.ledger.store.tamperWithBlockForTest(0, Buffer.from('{not json'));
      expect(await f.ledger.verifyChain()).to.include({ ok: false, firstBrokenBlock: 0 });
      await f.ledger.store.tamperWithBlockForTest(0, serializeBlock(original));
      expect((await f.ledger.verifyChain()).ok).to.equal(true);
      await f.ledger.store.tamperWithBlockForTest(1, serializeBlock(original));
      expect(await f.ledger.verifyChain()).to.include({ ok: false, firstBrokenBlock: 1 });
    });

    it('reports progress while verifying', async () => {
      f = await openProbeFixture();
      for (let i = 0; i < 3; i++) await f.submit('Put', `k${i}`, 'v');
      const seen: Array<[number, number]> = [];
      await f.ledger.verifyChain({ onProgress: (checked, height) => seen.push([checked, height]) });
      expect(seen).to.deep.equal([[3, 3]]);
    });
  });

  describe('getTransaction', () => {
    it('gives block number, position, validation code, creator, timestamp and endorsing organisations', async () => {
      f = await openProbeFixture();
      await f.submit('Put', 'first', '1');
      const huixian = await f.identity(HUIXIAN, 'hx-user');
      const before = Date.now();
      const r = await f.ledger.submit(huixian, probe('Put', 'second', '2'));
      const info = await f.ledger.getTransaction(r.txId);
      expect(info).to.include({
        txId: r.txId,
        blockNumber: 1,
        txIndex: 0,
        validationCode: 'VALID',
        creatorMspId: HUIXIAN,
        transactionName: probe('Put').name,
      });
      expect(info?.endorsingOrganisations).to.deep.equal([HUIXIAN, LIANGDANG]);
      const ts = Date.parse(info?.timestamp as string);
      expect(ts).to.be.within(before - 1000, Date.now());
    });

    it('answers undefined for an unknown transaction ID', async () => {
      f = await openProbeFixture();
      expect(await f.ledger.getTransaction('0'.repeat(64))).to.equal(undefined);
    });
  });

  describe('authentication', () => {
    let rogue: LedgerIdentity;
    before(async () => {
      // A CA that calls itself Liangdang's, but is not the county CA the ledger trusts.
      const ca = await createCountyCa(LIANGDANG, 'Rogue County');
      const id = await issueIdentity(ca, 'admin-rogue', 'admin');
      rogue = { mspId: LIANGDANG, certificate: id.certificate, privateKey: privateKeyObject(id.privateKey) };
    });

    it('refuses a certificate not issued by the county CA, for submit and evaluate, writing nothing', async () => {
      f = await openProbeFixture();
      await expectLedgerError(f.ledger.submit(rogue, probe('Put', 'k', 'v')), 'UNAUTHENTICATED');
      await expectLedgerError(f.ledger.evaluate(rogue, probe('Get', 'k')), 'UNAUTHENTICATED');
      await expectLedgerError(
        f.ledger.submit(rogue, { name: tx.membership.grantRole.qualifiedName, args: ['{"member":"x","role":"merchant"}'] }),
        'UNAUTHENTICATED',
      );
      expect(await f.ledger.height()).to.equal(0);
      expect(await f.valueOf('k')).to.equal(null);
    });

    it("refuses one county's genuine certificate presented under another county's MSP ID", async () => {
      f = await openProbeFixture();
      const huixian = await f.identity(HUIXIAN, 'hx-user');
      await expectLedgerError(f.ledger.submit({ ...huixian, mspId: LIANGDANG }, probe('Put', 'k', 'v')), 'UNAUTHENTICATED');
      await expectLedgerError(f.ledger.submit({ ...huixian, mspId: 'NowhereMSP' }, probe('Put', 'k', 'v')), 'UNAUTHENTICATED');
      expect(await f.ledger.height()).to.equal(0);
    });

    it("refuses a genuine certificate used with a key that is not the certificate's", async () => {
      f = await openProbeFixture();
      const other = await f.identity(LIANGDANG, 'someone-else');
      // Certificates are public (every block carries its creator's): holding one must not let you act as its owner.
      await expectLedgerError(f.ledger.submit({ ...f.user, privateKey: other.privateKey }, probe('Put', 'k', 'v')), 'UNAUTHENTICATED');
      await expectLedgerError(f.ledger.evaluate({ ...f.user, privateKey: other.privateKey }, probe('Get', 'k')), 'UNAUTHENTICATED');
      expect(await f.ledger.height()).to.equal(0);
      await f.submit('Put', 'k', 'v');
      await f.ledger.submit(other, probe('Put', 'k2', 'v'));
      expect(await f.ledger.height()).to.equal(2);
    });

    it('refuses calls once the ledger is closed', async () => {
      f = await openProbeFixture();
      await f.ledger.close();
      await expectLedgerError(f.submit('Put', 'k', 'v'), 'UNAVAILABLE');
      await expectLedgerError(f.ledger.evaluate(f.user, probe('Get', 'k')), 'UNAVAILABLE');
    });
  });
});
