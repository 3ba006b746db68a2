import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { common } from '@hyperledger/fabric-protos-v3';
import { ProofBundle } from '../../gateway-api/src/verify/bundle';
import { auditBlocks, ChainAuditResult } from '../../gateway-api/src/verify/chain-audit';
import { linesOf, readChainExport } from '../../gateway-api/src/verify/chain-export';
import { PROOF_CHECKS, verifyProof } from '../../gateway-api/src/verify/checks';
import { verifySignature } from '../../gateway-api/src/verify/crypto';
import { fabricDecoder } from '../../gateway-api/src/verify/fabric-decoder';
import { withBytesField } from '../../gateway-api/src/verify/fabric-format';
import { DecodeError } from '../../gateway-api/src/verify/view';
import { copyBundle, fabricTamperCases, failedChecks } from '../support/fabric-tamper';
import { TestOrderer, testOrderer } from '../support/forge-fabric-block';

/**
 * The verifier's Fabric decoder on bytes a real Fabric network recorded (three counties, Raft,
 * npm run test:fabric's network): test/verify/fixtures/fabric/ holds a proof bundle from
 * GET /evidence/{sha256}/proof on LEDGER=fabric, its file, and GET /audit/ledger/export of that
 * chain (genesis, the chaincode's lifecycle, a role grant and the anchoring). No network needed.
 * Made on a fresh network (npm run network:up, npm run network:deploy): Liangdang's admin granted
 * merchant1 and auditor1, merchant1 uploaded report.txt, auditor1 fetched the proof and the export.
 */
const FIXTURES = path.join(__dirname, '../../../test/verify/fixtures/fabric');
const bundle = JSON.parse(readFileSync(path.join(FIXTURES, 'proof.json'), 'utf8')) as ProofBundle;
const file = readFileSync(path.join(FIXTURES, 'report.txt'));
const exportLines = readFileSync(path.join(FIXTURES, 'chain.jsonl'), 'utf8').trim().split('\n');

async function audit(edit: (lines: string[]) => void = () => undefined): Promise<ChainAuditResult> {
  const lines = [...exportLines];
  edit(lines);
  const text = `${lines.join('\n')}\n`;
  const { header, source } = await readChainExport(
    linesOf(
      (async function* () {
        yield text;
      })(),
    ),
  );
  return auditBlocks(source, fabricDecoder, { trust: header.trust });
}

/** Rewrites block n of the export through its decoded protobuf. */
function editBlock(lines: string[], n: number, edit: (block: common.Block) => void): void {
  const entry = JSON.parse(lines[n + 1] as string) as { number: number; raw: string };
  const block = common.Block.deserializeBinary(Buffer.from(entry.raw, 'base64'));
  edit(block);
  lines[n + 1] = JSON.stringify({ ...entry, raw: Buffer.from(block.serializeBinary()).toString('base64') });
}

function editTrust(lines: string[], edit: (trust: ProofBundle['trust']) => void): void {
  const header = JSON.parse(lines[0] as string);
  edit(header.trust);
  lines[0] = JSON.stringify(header);
}

describe('verifier: Fabric proof bundles and chains (recorded on a Fabric network)', () => {
  it('the recorded bundle passes every check, with the file and without it', async () => {
    expect(bundle.ledger).to.equal('fabric');
    const outcomes = await verifyProof(bundle, file);
    expect(outcomes.map((o) => o.check)).to.deep.equal([...PROOF_CHECKS]);
    expect(failedChecks(outcomes), JSON.stringify(outcomes, null, 2)).to.deep.equal([]);
    expect(failedChecks(await verifyProof(bundle))).to.deep.equal([]);
  });

  describe('one byte changed: exactly the matching checks fail', () => {
    for (const [part, change, expected] of fabricTamperCases(bundle)) {
      it(part, async () => {
        const changed = copyBundle(bundle);
        change(changed);
        const outcomes = await verifyProof(changed, file);
        expect(failedChecks(outcomes), JSON.stringify(outcomes.filter((o) => !o.ok))).to.deep.equal(expected);
      });
    }

    it('the file', async () => {
      const changed = Buffer.from(file);
      changed[5] = (changed[5] as number) ^ 1;
      expect(failedChecks(await verifyProof(bundle, changed))).to.deep.equal(['file sha256', 'file sm3']);
    });
  });

  it('a bundle whose raw bytes are no Fabric protobuf fails the checks that need them, saying why', async () => {
    const changed = copyBundle(bundle);
    changed.transaction.raw = Buffer.from('not an envelope').toString('base64');
    const outcomes = await verifyProof(changed, file);
    expect(failedChecks(outcomes)).to.include.members(['record in write set', 'creator signature', 'endorsement signatures']);
    expect(outcomes.find((o) => o.check === 'creator signature')?.detail).to.match(/^transaction\.raw: /);
    expect(() => fabricDecoder.block(Buffer.from([0xff, 0xff, 0xff]))).to.throw(DecodeError);
  });

  describe('chain audit over the exported blocks', () => {
    it('passes: hash links, data hashes, orderer signatures (block 0 the unsigned genesis), creators, endorsements and policies', async () => {
      const result = await audit();
      expect(result, JSON.stringify(result)).to.include({ ok: true, signaturesChecked: true, blocksChecked: exportLines.length - 1 });
      expect(result.transactionsChecked).to.equal(exportLines.length - 1);
    });

    it('a block whose orderer signature was removed: that block', async () => {
      const last = exportLines.length - 2;
      const result = await audit((l) =>
        editBlock(l, last, (b) => {
          const metadata = b.getMetadata()!.getMetadataList_asU8().slice();
          metadata[common.BlockMetadataIndex.SIGNATURES] = new Uint8Array();
          b.getMetadata()!.setMetadataList(metadata);
        }),
      );
      expect(result).to.include({ ok: false, firstBrokenBlock: last, problem: 'the block carries no orderer signature' });
      expect(result.firstBadTransaction).to.equal(undefined);
    });

    it('a transaction changed in a block: the data hash no longer covers it', async () => {
      const result = await audit((l) =>
        editBlock(l, 2, (b) => {
          const data = b
            .getData()!
            .getDataList_asU8()
            .map((d) => Buffer.from(d));
          const entry = data[0] as Buffer;
          entry[entry.length - 5] = (entry[entry.length - 5] as number) ^ 1;
          b.getData()!.setDataList(data);
        }),
      );
      expect(result).to.include({ ok: false, firstBrokenBlock: 2, problem: 'data hash does not match the transactions in the block' });
    });

    it("another CA given as Huixian's: Huixian's first signed transaction is named, in its block", async () => {
      const result = await audit((l) =>
        editTrust(l, (trust) => {
          const fengxian = trust.counties.find((c) => c.mspId === 'FengxianMSP')!;
          trust.counties = trust.counties.map((c) => (c.mspId === 'HuixianMSP' ? { ...fengxian, mspId: 'HuixianMSP' } : c));
        }),
      );
      expect(result.ok).to.equal(false);
      expect(result.problem).to.match(/^(creator|endorser) \(HuixianMSP\): the certificate is not issued by that CA$/);
      const block = fabricDecoder.block(Buffer.from(JSON.parse(exportLines[(result.firstBrokenBlock as number) + 1] as string).raw, 'base64'));
      expect(block.transactions.map((t) => t.decode().txId)).to.include(result.firstBadTransaction);
    });

    it('a fourth county in the policy: lifecycle approvals (one county each) still pass, the first chaincode transaction with two endorsements fails', async () => {
      const result = await audit((l) => editTrust(l, (trust) => trust.endorsementPolicy.organisations.push('GuixiMSP')));
      expect(result.ok).to.equal(false);
      expect(result.problem).to.match(/do not satisfy the policy: 2 of 4 counties .* MAJORITY needs 3/);
      const block = fabricDecoder.block(Buffer.from(JSON.parse(exportLines[(result.firstBrokenBlock as number) + 1] as string).raw, 'base64'));
      const bad = block.transactions.map((t) => t.decode()).find((t) => t.txId === result.firstBadTransaction);
      expect(bad?.chaincode).to.equal('countyledger');
      // the blocks before it held the genesis, three approvals endorsed by their own county and the commit
      const kinds = exportLines.slice(1, (result.firstBrokenBlock as number) + 1).map((line) => {
        const t = fabricDecoder.block(Buffer.from(JSON.parse(line).raw, 'base64')).transactions[0]!.decode();
        return `${t.endorsement}:${t.endorsements.length}`;
      });
      expect(kinds.slice(0, 5)).to.deep.equal(['genesis:0', 'creator-organisation:1', 'creator-organisation:1', 'creator-organisation:1', 'channel:3']);
    });

    describe('a block sealed with an orderer key of the test’s own: the transactions inside are checked', () => {
      let orderer: TestOrderer;
      let trust: ProofBundle['trust'];
      const raw = (n: number) => Buffer.from(JSON.parse(exportLines[n + 1] as string).raw, 'base64');
      before(async () => {
        orderer = await testOrderer();
        const header = JSON.parse(exportLines[0] as string);
        trust = { ...header.trust, counties: [...header.trust.counties, orderer.root] };
      });
      /** Block 0 as recorded, then block 1 holding `envelope`, sealed by the test's orderer. */
      const auditWith = (envelope: Buffer) => {
        const block1 = orderer.seal(1, Buffer.from(fabricDecoder.block(raw(0)).headerHash, 'hex'), [envelope]);
        return auditBlocks({ height: 2, block: async (n) => (n === 0 ? raw(0) : block1) }, fabricDecoder, { trust });
      };
      const flipIn = (bytes: Buffer, part: Uint8Array): Buffer => {
        const out = Buffer.from(bytes);
        const at = out.indexOf(Buffer.from(part)) + 8;
        out[at] = (out[at] as number) ^ 1;
        return out;
      };

      it('the recorded lifecycle approval of block 1, sealed again: ok (the seal is good)', async () => {
        expect(await auditWith(fabricDecoder.block(raw(1)).transactions[0]!.raw)).to.include({ ok: true, blocksChecked: 2 });
      });

      it('the unsigned genesis configuration outside block 0: refused, named', async () => {
        const genesis = fabricDecoder.block(raw(0)).transactions[0]!;
        expect(genesis.decode().endorsement).to.equal('genesis');
        const result = await auditWith(genesis.raw);
        expect(result).to.include({
          ok: false,
          firstBrokenBlock: 1,
          firstBadTransaction: genesis.decode().txId,
          problem: 'an unsigned configuration outside the genesis block',
        });
      });

      it("a transaction whose creator's signature was changed: that transaction", async () => {
        const envelope = fabricDecoder.block(raw(1)).transactions[0]!.raw;
        const result = await auditWith(flipIn(envelope, common.Envelope.deserializeBinary(envelope).getSignature_asU8()));
        expect(result).to.include({ ok: false, firstBrokenBlock: 1, problem: 'the creator signature does not verify with the creator certificate' });
        expect(result.firstBadTransaction).to.equal(fabricDecoder.transaction(envelope).txId);
      });

      it('a transaction one of whose endorsements was changed: that transaction (its creator signed the endorsements too), and that endorsement no longer verifies', async () => {
        const envelope = Buffer.from(bundle.transaction.raw, 'base64');
        const endorsement = bundle.transaction.endorsements[1]!;
        const result = await auditWith(flipIn(envelope, Buffer.from(endorsement.signature, 'base64')));
        // The creator signed the envelope with the endorsements in it: its signature is checked first.
        expect(result).to.include({ ok: false, firstBrokenBlock: 1, firstBadTransaction: bundle.transaction.txId });
        expect(result.problem).to.equal('the creator signature does not verify with the creator certificate');
        const view = fabricDecoder.transaction(flipIn(envelope, Buffer.from(endorsement.signature, 'base64')));
        expect(await verifySignature(view.endorsements[1]!.signed, view.endorsements[1]!.certificate, view.endorsements[1]!.signature)).to.equal(false);
        expect(await verifySignature(view.endorsements[0]!.signed, view.endorsements[0]!.certificate, view.endorsements[0]!.signature)).to.equal(true);
      });
    });
  });

  it('withBytesField keeps a message byte for byte when the field already holds the value, and changes only that field otherwise', () => {
    const envelope = Buffer.from(bundle.transaction.raw, 'base64');
    const parsed = common.Envelope.deserializeBinary(envelope);
    const same = withBytesField(envelope, 2, parsed.getSignature_asU8());
    expect(same?.equals(envelope)).to.equal(true);
    const other = withBytesField(envelope, 2, Buffer.from([1, 2, 3]));
    const reparsed = common.Envelope.deserializeBinary(other as Buffer);
    expect(Buffer.from(reparsed.getSignature_asU8())).to.deep.equal(Buffer.from([1, 2, 3]));
    expect(Buffer.from(reparsed.getPayload_asU8()).equals(Buffer.from(parsed.getPayload_asU8()))).to.equal(true);
    expect(withBytesField(Buffer.from([0x0a, 0x05, 0x01]), 1, Buffer.from([1]))).to.equal(undefined);
  });
});
