// The fixture loads fabric-contract-api, whose reflect-metadata polyfill @peculiar/x509 needs: import it first.
import { FENGXIAN, HUIXIAN, LIANGDANG } from '../support/ledger-fixture';
import { sign } from 'node:crypto';
import { expect } from 'chai';
import { createCountyCa, issueIdentity, privateKeyObject } from '../../gateway-api/src/identity/county-ca';
import { Block, headerHash, serializeBlock, TxRecord } from '../../gateway-api/src/ledger/embedded/block-format';
import { blockSignatureBytes, endorsementBytes, responseJson } from '../../gateway-api/src/verify/embedded-format';
import { flipBase64, forgeBlock } from '../support/forge-block';
import { openProbeFixture, ProbeFixture } from '../support/probe';

const flip = (b64: string) => flipBase64(b64);

describe('embedded ledger: the chain audit checks every signature', () => {
  let f: ProbeFixture;
  afterEach(async () => {
    await f?.cleanup();
  });

  /** Three blocks of one transaction each; answers their transaction IDs. */
  async function threeBlocks(): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await f.submit('Put', `k${i}`, `v${i}`)).txId);
    return ids;
  }

  const forge = (n: number, edit: (tx: TxRecord) => TxRecord) => forgeBlock(f.ledger, f.wallet, n, edit);

  it('passes a whole chain, counting its transactions and saying signatures were checked', async () => {
    f = await openProbeFixture();
    await threeBlocks();
    expect(await f.ledger.verifyChain()).to.deep.equal({ ok: true, height: 3, blocksChecked: 3, transactionsChecked: 3, signaturesChecked: true });
  });

  it('reports an altered endorsement signature: its block and transaction', async () => {
    f = await openProbeFixture();
    const ids = await threeBlocks();
    await forge(1, (tx) => ({ ...tx, endorsements: tx.endorsements.map((e, i) => (i === 1 ? { ...e, signature: flip(e.signature) } : e)) }));
    const v = await f.ledger.verifyChain();
    expect(v).to.include({ ok: false, firstBrokenBlock: 1, firstBadTransaction: ids[1], blocksChecked: 1, transactionsChecked: 1 });
    expect(v.problem).to.equal(`the endorsement of ${HUIXIAN} does not verify with its certificate`);
  });

  it('reports an altered creator signature', async () => {
    f = await openProbeFixture();
    const ids = await threeBlocks();
    await forge(2, (tx) => ({ ...tx, signature: flip(tx.signature) }));
    const v = await f.ledger.verifyChain();
    expect(v).to.include({ ok: false, firstBrokenBlock: 2, firstBadTransaction: ids[2] });
    expect(v.problem).to.equal('the creator signature does not verify with the creator certificate');
  });

  it('reports changed arguments: the creator never signed them', async () => {
    f = await openProbeFixture();
    const ids = await threeBlocks();
    await forge(0, (tx) => ({ ...tx, transaction: { ...tx.transaction, args: ['k0', 'forged'] } }));
    expect(await f.ledger.verifyChain()).to.include({ ok: false, firstBrokenBlock: 0, firstBadTransaction: ids[0] });
  });

  it('reports a transaction endorsed by one county only: the policy needs a majority', async () => {
    f = await openProbeFixture();
    const ids = await threeBlocks();
    await forge(1, (tx) => ({ ...tx, endorsements: tx.endorsements.slice(0, 1) }));
    const v = await f.ledger.verifyChain();
    expect(v).to.include({ ok: false, firstBrokenBlock: 1, firstBadTransaction: ids[1] });
    expect(v.problem).to.equal(`the endorsements do not satisfy the policy: 1 of 3 counties (${LIANGDANG}), MAJORITY needs 2`);
  });

  it("reports an endorsement whose certificate is not issued by its county's CA", async () => {
    f = await openProbeFixture();
    const ids = await threeBlocks();
    const rogueCa = await createCountyCa(FENGXIAN, 'Rogue Fengxian');
    const rogue = await issueIdentity(rogueCa, 'peer0.fengxian', 'peer');
    await forge(2, (tx) => {
      const response = responseJson(tx);
      const endorser = { mspId: FENGXIAN, certificate: rogue.certificate };
      const signature = sign('sha256', endorsementBytes(response, endorser), privateKeyObject(rogue.privateKey)).toString('base64');
      return { ...tx, endorsements: [...tx.endorsements, { ...endorser, endorser: 'peer0.fengxian', signature }] };
    });
    const v = await f.ledger.verifyChain();
    expect(v).to.include({ ok: false, firstBrokenBlock: 2, firstBadTransaction: ids[2] });
    expect(v.problem).to.equal(`endorser (${FENGXIAN}): the certificate is not issued by that CA`);
  });

  it('reports an altered block signature, and a block signed by an ordering node the CAs do not know', async () => {
    f = await openProbeFixture();
    await threeBlocks();
    const block = (await f.ledger.getBlock(1)) as Block;
    const original = serializeBlock(block);
    const sig = block.metadata.signatures[0] as Block['metadata']['signatures'][number];
    await f.ledger.store.tamperWithBlockForTest(
      1,
      serializeBlock({ ...block, metadata: { ...block.metadata, signatures: [{ ...sig, signature: flip(sig.signature) }] } }),
    );
    let v = await f.ledger.verifyChain();
    expect(v).to.include({ ok: false, firstBrokenBlock: 1 });
    expect(v.firstBadTransaction).to.equal(undefined);
    expect(v.problem).to.equal('the block signature of LiangdangOrdererMSP does not verify over the block header');

    const rogueCa = await createCountyCa('LiangdangOrdererMSP', 'Rogue ordering service');
    const rogue = await issueIdentity(rogueCa, 'orderer0.liangdang', 'orderer');
    const signer = { mspId: 'LiangdangOrdererMSP', certificate: rogue.certificate };
    const signature = sign('sha256', blockSignatureBytes(headerHash(block.header), signer), privateKeyObject(rogue.privateKey)).toString('base64');
    await f.ledger.store.tamperWithBlockForTest(
      1,
      serializeBlock({ ...block, metadata: { ...block.metadata, signatures: [{ ...signer, orderer: 'x', signature }] } }),
    );
    v = await f.ledger.verifyChain();
    expect(v).to.include({ ok: false, firstBrokenBlock: 1, problem: 'block signer (LiangdangOrdererMSP): the certificate is not issued by that CA' });

    await f.ledger.store.tamperWithBlockForTest(1, serializeBlock({ ...block, metadata: { ...block.metadata, signatures: [] } }));
    expect(await f.ledger.verifyChain()).to.include({ ok: false, firstBrokenBlock: 1, problem: 'the block carries no orderer signature' });

    await f.ledger.store.tamperWithBlockForTest(1, original);
    expect((await f.ledger.verifyChain()).ok).to.equal(true);
  });

  it('names the first bad block and, in it, the first bad transaction', async () => {
    f = await openProbeFixture();
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => f.submit('Put', `c${i}`, 'v')));
    const crowded = results.find((r) => results.filter((o) => o.blockNumber === r.blockNumber).length >= 3) as { blockNumber: number };
    expect(crowded, 'a block with three transactions or more').to.not.equal(undefined);
    await threeBlocks();
    const height = await f.ledger.height();
    await forge(height - 1, (tx) => ({ ...tx, signature: flip(tx.signature) }));
    const block = (await f.ledger.getBlock(crowded.blockNumber)) as Block;
    const second = block.data[1] as TxRecord;
    await forge(crowded.blockNumber, (tx) => (tx.txId === second.txId || tx.txId === block.data[2]?.txId ? { ...tx, signature: flip(tx.signature) } : tx));
    const v = await f.ledger.verifyChain();
    expect(v).to.include({ ok: false, firstBrokenBlock: crowded.blockNumber, firstBadTransaction: second.txId });
  });

  it('reports progress with the transactions checked so far', async () => {
    f = await openProbeFixture();
    for (let i = 0; i < 205; i++) await f.submit('Put', `p${i}`, 'v');
    const seen: number[][] = [];
    const v = await f.ledger.verifyChain({ onProgress: (...args) => seen.push(args) });
    expect(v.ok).to.equal(true);
    expect(seen).to.deep.equal([
      [100, 205, 100],
      [200, 205, 200],
      [205, 205, 205],
    ]);
  });
});
