// The fixture loads fabric-contract-api, whose reflect-metadata polyfill @peculiar/x509 needs: import it first.
import { LIANGDANG, openLedgerFixture, LedgerFixture } from '../support/ledger-fixture';
import { tx } from '../../chaincode/src/catalogue';
import { BENCH_TRANSACTIONS } from '../../scripts/bench/bench-contract';
import { expect } from 'chai';
import { createHash, X509Certificate, verify } from 'node:crypto';
import { common, msp, peer } from '@hyperledger/fabric-protos';
import { buildProposal } from '../../gateway-api/src/ledger/embedded/proposal';
import { encodeMessage } from '../../gateway-api/src/ledger/embedded/protobuf-writer';
import { canonicalJson } from '../../gateway-api/src/verify/canonical-json';

// The embedded ledger writes proposals with its own small protobuf writer; fabric-shim decodes them
// with google-protobuf. These tests hold the two to the same bytes.
describe('embedded ledger: proposal encoding', () => {
  let f: LedgerFixture;
  before(async () => {
    f = await openLedgerFixture();
  });
  after(async () => {
    await f?.cleanup();
  });

  /** Decodes every layer with Fabric's protobuf classes and checks that re-encoding gives the same bytes. */
  function decodeStrictly(bytes: Uint8Array) {
    const proposal = peer.Proposal.deserializeBinary(bytes);
    expect(Buffer.from(proposal.serializeBinary())).to.deep.equal(Buffer.from(bytes));
    const header = common.Header.deserializeBinary(proposal.getHeader_asU8());
    expect(Buffer.from(header.serializeBinary())).to.deep.equal(Buffer.from(proposal.getHeader_asU8()));
    const channelHeader = common.ChannelHeader.deserializeBinary(header.getChannelHeader_asU8());
    expect(Buffer.from(channelHeader.serializeBinary())).to.deep.equal(Buffer.from(header.getChannelHeader_asU8()));
    const signatureHeader = common.SignatureHeader.deserializeBinary(header.getSignatureHeader_asU8());
    expect(Buffer.from(signatureHeader.serializeBinary())).to.deep.equal(Buffer.from(header.getSignatureHeader_asU8()));
    const creator = msp.SerializedIdentity.deserializeBinary(signatureHeader.getCreator_asU8());
    const payload = peer.ChaincodeProposalPayload.deserializeBinary(proposal.getPayload_asU8());
    expect(Buffer.from(payload.serializeBinary())).to.deep.equal(Buffer.from(proposal.getPayload_asU8()));
    const invocation = peer.ChaincodeInvocationSpec.deserializeBinary(payload.getInput_asU8());
    expect(Buffer.from(invocation.serializeBinary())).to.deep.equal(Buffer.from(payload.getInput_asU8()));
    return { channelHeader, signatureHeader, creator, payload, spec: invocation.getChaincodeSpec() as peer.ChaincodeSpec };
  }

  it('encodes every layer exactly as google-protobuf does, with the header, creator, args and transient data', async () => {
    const identity = await f.identity(LIANGDANG, 'encoder');
    const nowMs = Date.UTC(2026, 10, 22, 8, 0, 0, 123);
    const transient = { zeta: Buffer.from('last'), alpha: Buffer.from('身份证 110101'), empty: Buffer.alloc(0) };
    const built = await buildProposal(
      identity,
      'countyledger',
      'countyledger',
      { name: tx.subjects.registerIndividual.qualifiedName, args: ['{"a":"商户"}', '', 'x'], transient },
      nowMs,
    );

    const d = decodeStrictly(built.proposalBytes);
    expect(d.channelHeader.getType()).to.equal(common.HeaderType.ENDORSER_TRANSACTION);
    expect(d.channelHeader.getChannelId()).to.equal('countyledger');
    expect(d.channelHeader.getTxId()).to.equal(built.txId);
    expect(d.channelHeader.getTimestamp()?.getSeconds()).to.equal(Math.floor(nowMs / 1000));
    expect(d.channelHeader.getTimestamp()?.getNanos()).to.equal(123_000_000);
    expect(d.creator.getMspid()).to.equal(LIANGDANG);
    expect(Buffer.from(d.creator.getIdBytes_asU8()).toString()).to.equal(identity.certificate);
    // The transaction ID is Fabric's: SHA-256 of nonce and serialized creator.
    const txId = createHash('sha256').update(d.signatureHeader.getNonce_asU8()).update(d.signatureHeader.getCreator_asU8()).digest('hex');
    expect(built.txId).to.equal(txId);
    expect(d.spec.getType()).to.equal(peer.ChaincodeSpec.Type.NODE);
    expect(d.spec.getChaincodeId()?.getName()).to.equal('countyledger');
    const args = (d.spec.getInput() as peer.ChaincodeInput).getArgsList_asU8().map((a) => Buffer.from(a).toString());
    expect(args).to.deep.equal([tx.subjects.registerIndividual.qualifiedName, '{"a":"商户"}', '', 'x']);
    const decodedTransient = Object.fromEntries(
      (d.payload.getTransientmapMap().toArray() as Array<[string, Uint8Array]>).map(([k, v]) => [k, Buffer.from(v).toString()]),
    );
    expect(decodedTransient).to.deep.equal({ alpha: '身份证 110101', empty: '', zeta: 'last' });
    // The same views the stub reads.
    expect(built.chaincodeInput.getArgsList_asU8().map((a) => Buffer.from(a).toString())).to.deep.equal(args);
    // Encoded once, on first use: the stub's view and the property are the same bytes.
    expect(built.signedProposal.getProposalBytes()).to.equal(built.proposalBytes);
  });

  it('signs the proposal as the block records it (canonical JSON, no transient data) when submitting, and leaves evaluations unsigned', async () => {
    const identity = await f.identity(LIANGDANG, 'encoder');
    const submitted = await buildProposal(
      identity,
      'countyledger',
      'countyledger',
      { name: BENCH_TRANSACTIONS.put, args: ['k'], transient: { secret: Buffer.from('never recorded') } },
      Date.now(),
    );
    expect(submitted.recorded).to.deep.equal({
      channelId: 'countyledger',
      chaincode: 'countyledger',
      creator: { mspId: LIANGDANG, certificate: identity.certificate },
      timestamp: { seconds: submitted.seconds, nanos: submitted.nanos },
      transaction: { name: BENCH_TRANSACTIONS.put, args: ['k'] },
      txId: submitted.txId,
    });
    expect(submitted.recordedBytes.toString()).to.equal(canonicalJson(submitted.recorded));
    expect(submitted.recordedBytes.toString()).to.not.include('never recorded');
    const publicKey = new X509Certificate(identity.certificate).publicKey;
    expect(verify('sha256', submitted.recordedBytes, publicKey, submitted.signature)).to.equal(true);
    const tampered = Buffer.from(submitted.recordedBytes);
    tampered.writeUInt8((tampered.at(-2) as number) ^ 1, tampered.length - 2);
    expect(verify('sha256', tampered, publicKey, submitted.signature)).to.equal(false);
    // The stub is handed the same signature.
    expect(Buffer.from(submitted.signedProposal.getSignature())).to.deep.equal(submitted.signature);
    const evaluated = await buildProposal(identity, 'countyledger', 'countyledger', { name: BENCH_TRANSACTIONS.get, args: ['k'] }, Date.now(), false);
    expect(evaluated.signature.length).to.equal(0);
    // Every proposal gets a fresh nonce, so a fresh transaction ID.
    expect(evaluated.txId).to.not.equal(submitted.txId);
  });

  it('writes varints across byte boundaries and leaves proto3 defaults out', () => {
    const cases = [0, 1, 127, 128, 300, 16_383, 16_384, 2 ** 31, 2 ** 32 + 5, Number.MAX_SAFE_INTEGER];
    for (const n of cases) {
      const ours = encodeMessage([[1, n]]);
      const theirs = new common.ChannelHeader();
      theirs.setType(n);
      if (n <= 2 ** 31 - 1) expect(ours, `type ${n}`).to.deep.equal(Buffer.from(theirs.serializeBinary()));
      const epoch = new common.ChannelHeader();
      epoch.setEpoch(n);
      expect(encodeMessage([[6, n]]), `epoch ${n}`).to.deep.equal(Buffer.from(epoch.serializeBinary()));
    }
    expect(
      encodeMessage([
        [1, ''],
        [2, Buffer.alloc(0)],
        [3, 0],
      ]),
    ).to.have.length(0);
    expect(() => encodeMessage([[1, -1]])).to.throw(RangeError);
    expect(() => encodeMessage([[1, 1.5]])).to.throw(RangeError);
  });
});
