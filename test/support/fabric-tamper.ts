import { expect } from 'chai';
import { common, peer } from '@hyperledger/fabric-protos-v3';
import { ProofBundle } from '../../gateway-api/src/verify/bundle';
import { CheckOutcome, ProofCheck } from '../../gateway-api/src/verify/checks';
import { fingerprintOf } from '../../gateway-api/src/verify/crypto';
import { fabricDecoder } from '../../gateway-api/src/verify/fabric-decoder';
import { flipBase64 } from './forge-block';

/**
 * One byte changed in each part of a Fabric proof bundle, and the checks that must then fail
 * (exactly those): for the Fabric suite's live bundle and the verifier's recorded one alike. The
 * bytes are found by decoding the bundle's own protobufs, so every change lands in the part named.
 */

export const failedChecks = (outcomes: readonly CheckOutcome[]): ProofCheck[] => outcomes.filter((o) => !o.ok).map((o) => o.check);
export const copyBundle = (b: ProofBundle): ProofBundle => JSON.parse(JSON.stringify(b)) as ProofBundle;
const flipHex = (hex: string) => (hex[0] === '0' ? '1' : '0') + hex.slice(1);

/** The raw bytes with the byte at `at` changed. */
function flipByte(raw: Buffer, at: number): Buffer {
  const out = Buffer.from(raw);
  out[at] = (out[at] as number) ^ 0x01;
  return out;
}

/** Where `part` sits in `raw` (it must, once at least), plus `offset` into it. */
function positionOf(raw: Buffer, part: Uint8Array, offset = Math.floor(part.length / 2)): number {
  const at = raw.indexOf(Buffer.from(part));
  expect(at, 'the part is in the bytes').to.be.at.least(0);
  return at + offset;
}

/** base64 bytes with one byte changed in `part` of them. */
function flipIn(b64: string, part: (raw: Buffer) => Uint8Array, offset?: number): string {
  const raw = Buffer.from(b64, 'base64');
  return flipByte(raw, positionOf(raw, part(raw), offset)).toString('base64');
}

function endorsedAction(envelope: Buffer) {
  const payload = common.Payload.deserializeBinary(common.Envelope.deserializeBinary(envelope).getPayload_asU8());
  const tx = peer.Transaction.deserializeBinary(payload.getData_asU8());
  return peer.ChaincodeActionPayload.deserializeBinary(tx.getActionsList()[0]!.getPayload_asU8());
}

const envelopeSignature = (raw: Buffer) => common.Envelope.deserializeBinary(raw).getSignature_asU8();
const proposalPayload = (raw: Buffer) => endorsedAction(raw).getChaincodeProposalPayload_asU8();
const endorsementSignature = (i: number) => (raw: Buffer) => endorsedAction(raw).getAction()!.getEndorsementsList()[i]!.getSignature_asU8();

export type TamperCase = readonly [name: string, change: (b: ProofBundle) => void, expected: readonly ProofCheck[]];

export function fabricTamperCases(bundle: ProofBundle): TamperCase[] {
  const written = Buffer.from(bundle.transaction.write.value, 'base64');
  const endorser = bundle.transaction.endorsements.find((e) => e.mspId !== bundle.transaction.creator.mspId);
  expect(endorser, 'a county other than the creator endorsed').to.not.equal(undefined);
  const blockSigner = bundle.block.signatures[0]?.mspId;
  return [
    ['evidence (the record)', (b) => (b.evidence.sizeBytes += 1), ['record in write set']],
    ['recordKey', (b) => (b.recordKey = b.recordKey.replace('evidence', 'evidencf')), ['record in write set']],
    ['transaction.write.value', (b) => (b.transaction.write.value = flipBase64(b.transaction.write.value)), ['record in write set']],
    [
      'transaction.raw: the record in the write set',
      (b) => (b.transaction.raw = flipIn(b.transaction.raw, () => written)),
      ['record in write set', 'transaction in block', 'creator signature', 'endorsement signatures'],
    ],
    [
      "transaction.raw: the proposal's arguments",
      (b) => (b.transaction.raw = flipIn(b.transaction.raw, (raw) => proposalPayload(raw))),
      ['transaction in block', 'creator signature', 'endorsement signatures'],
    ],
    [
      "transaction.raw: the creator's signature",
      (b) => (b.transaction.raw = flipIn(b.transaction.raw, envelopeSignature)),
      ['transaction in block', 'creator signature'],
    ],
    [
      'transaction.raw: an endorsement signature',
      (b) => (b.transaction.raw = flipIn(b.transaction.raw, endorsementSignature(1))),
      ['transaction in block', 'creator signature', 'endorsement signatures'],
    ],
    ['transaction.txId', (b) => (b.transaction.txId = flipHex(b.transaction.txId)), ['transaction in block']],
    ['transaction.index', (b) => (b.transaction.index += 1), ['transaction in block']],
    ['transaction.signature', (b) => (b.transaction.signature = flipBase64(b.transaction.signature)), ['creator signature']],
    ['transaction.creator.certificate', (b) => (b.transaction.creator.certificate = flipBase64(b.transaction.creator.certificate)), ['creator signature']],
    [
      'transaction.endorsements[1].signature',
      (b) => {
        const e = b.transaction.endorsements[1] as { signature: string };
        e.signature = flipBase64(e.signature);
      },
      ['endorsement signatures'],
    ],
    ['block.raw: the transaction in the block', (b) => (b.block.raw = flipIn(b.block.raw, () => written)), ['transaction in block']],
    [
      "block.raw: the header's data hash",
      (b) => (b.block.raw = flipIn(b.block.raw, () => Buffer.from(b.block.header.dataHash, 'hex'))),
      ['transaction in block', 'block header', 'block signatures'],
    ],
    [
      "block.raw: the orderer's signature",
      (b) => (b.block.raw = flipIn(b.block.raw, () => Buffer.from((b.block.signatures[0] as { signature: string }).signature, 'base64'))),
      ['block signatures'],
    ],
    [
      'block.raw: the validation code (TRANSACTIONS_FILTER)',
      (b) => {
        const block = common.Block.deserializeBinary(Buffer.from(b.block.raw, 'base64'));
        const metadata = block
          .getMetadata()!
          .getMetadataList_asU8()
          .map((m) => Buffer.from(m));
        const filter = metadata[common.BlockMetadataIndex.TRANSACTIONS_FILTER] as Buffer;
        filter[b.transaction.index] = peer.TxValidationCode.MVCC_READ_CONFLICT;
        block.getMetadata()!.setMetadataList(metadata);
        const raw = Buffer.from(block.serializeBinary());
        // Re-encoding changed nothing but that byte: the block still decodes to the same header and data.
        expect(fabricDecoder.block(raw).headerHash).to.equal(b.block.headerHash);
        b.block.raw = raw.toString('base64');
      },
      ['transaction in block'],
    ],
    [
      'block.signatures[0].signature',
      (b) => {
        const s = b.block.signatures[0] as { signature: string };
        s.signature = flipBase64(s.signature);
      },
      ['block signatures'],
    ],
    ['block.headerHash', (b) => (b.block.headerHash = flipHex(b.block.headerHash)), ['block header']],
    ['block.header.previousHash', (b) => (b.block.header.previousHash = flipHex(b.block.header.previousHash)), ['block header']],
    [
      `trust: the endorsing county's CA certificate (${endorser?.mspId})`,
      (b) => {
        const ca = b.trust.counties.find((c) => c.mspId === endorser?.mspId) as { caCertificate: string };
        ca.caCertificate = flipBase64(ca.caCertificate);
      },
      ['certificates chain to county CAs'],
    ],
    [
      `trust: the ordering organisation's CA certificate (${blockSigner})`,
      (b) => {
        const ca = b.trust.counties.find((c) => c.mspId === blockSigner) as { caCertificate: string };
        ca.caCertificate = flipBase64(ca.caCertificate);
      },
      ['block signatures'],
    ],
    ['trust: a fourth county in the policy', (b) => b.trust.endorsementPolicy.organisations.push('GuixiMSP'), ['endorsement policy']],
    [
      "trust: a revocation of the creator's certificate in the transaction's block",
      (b) =>
        b.trust.revocations.push({
          mspId: b.transaction.creator.mspId,
          sha256: fingerprintOf(b.transaction.creator.certificate) as string,
          block: b.block.number,
          txId: 'f'.repeat(64),
        }),
      ['not revoked'],
    ],
  ];
}
