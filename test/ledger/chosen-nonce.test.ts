import { randomBytes } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { connect, hash } from '@hyperledger/fabric-gateway';
import { common, gateway, peer } from '@hyperledger/fabric-protos-v3';
import { expect } from 'chai';
import { tx } from '../../chaincode/src/catalogue';
import { buildProposal } from '../../gateway-api/src/ledger/embedded/proposal';
import { withNonce } from '../../gateway-api/src/ledger/fabric/blocks';
import { nodeCryptoSigner } from '../../gateway-api/src/ledger/fabric/signer';
import { attemptNonce, NONCE_BYTES, transactionIdOf } from '../../gateway-api/src/ledger/transaction-ids';
import { expectLedgerError } from '../support/expect-error';
import { LIANGDANG, openLedgerFixture } from '../support/ledger-fixture';
import { openProbeFixture, probe, ProbeFixture } from '../support/probe';
import { gate } from '../support/probe-contract';

describe('submit with a chosen nonce: the transaction ID is known before, and a committed one is answered, not submitted again', () => {
  let f: ProbeFixture;
  afterEach(async () => f?.cleanup());

  it('the ID is SHA-256(nonce ‖ creator); the same nonce again answers the committed transaction (same ID, block and result) and writes nothing', async () => {
    f = await openProbeFixture();
    const nonce = randomBytes(NONCE_BYTES);
    const first = await f.ledger.submit(f.user, { ...probe('PutThenGet', 'nonce/a', 'one'), nonce });
    expect(first.txId).to.equal(transactionIdOf(f.user, nonce));
    const height = await f.ledger.height();
    const again = await f.ledger.submit(f.user, { ...probe('PutThenGet', 'nonce/a', 'one'), nonce });
    expect(again).to.deep.equal(first);
    expect(await f.ledger.height()).to.equal(height);
    // another nonce is another transaction
    const other = await f.ledger.submit(f.user, { ...probe('Put', 'nonce/a', 'two'), nonce: randomBytes(NONCE_BYTES) });
    expect(other.txId).to.not.equal(first.txId);
    expect(await f.ledger.height()).to.equal(height + 1);
  });

  it('concurrent submits of one nonce are one transaction', async () => {
    f = await openProbeFixture();
    const nonce = randomBytes(NONCE_BYTES);
    const height = await f.ledger.height();
    const answers = await Promise.all(Array.from({ length: 5 }, () => f.ledger.submit(f.user, { ...probe('Increment', 'nonce/counter', ''), nonce })));
    expect(new Set(answers.map((a) => a.txId)).size).to.equal(1);
    expect(await f.ledger.height()).to.equal(height + 1);
    expect(await f.valueOf('nonce/counter')).to.equal('1');
  });

  it('after a read conflict the re-endorsement takes the next attempt’s ID; the same nonce later finds that one', async () => {
    f = await openProbeFixture({ ledger: { mvccRetries: 1 } });
    await f.submit('Put', 'nonce/x', 'v0');
    const nonce = randomBytes(NONCE_BYTES);
    const g = gate('nonce-reader');
    const pairs = JSON.stringify([['nonce/y', 'from-reader']]);
    const reader = f.ledger.submit(f.user, { ...probe('ReadWaitPut', 'nonce/x', 'nonce-reader', pairs), nonce });
    await g.arrived();
    await f.submit('Put', 'nonce/x', 'v1');
    g.open();
    const committed = await reader;
    const [first, second] = [0, 1].map((attempt) => transactionIdOf(f.user, attemptNonce(nonce, attempt)));
    expect((await f.ledger.getTransaction(first as string))?.validationCode).to.equal('MVCC_READ_CONFLICT');
    expect(committed.txId).to.equal(second);
    const height = await f.ledger.height();
    const again = await f.ledger.submit(f.user, { ...probe('ReadWaitPut', 'nonce/x', 'nonce-reader', pairs), nonce });
    expect(again.txId).to.equal(second);
    expect(await f.ledger.height()).to.equal(height);
  });

  it('a chosen nonce whose attempts are all used up by read conflicts is refused (MVCC_CONFLICT), writing nothing', async () => {
    f = await openProbeFixture({ ledger: { mvccRetries: 0 } });
    await f.submit('Put', 'nonce/z', 'v0');
    const nonce = randomBytes(NONCE_BYTES);
    const g = gate('nonce-z');
    const reader = f.ledger.submit(f.user, { ...probe('ReadWaitPut', 'nonce/z', 'nonce-z', '[]'), nonce });
    await g.arrived();
    await f.submit('Put', 'nonce/z', 'v1');
    g.open();
    await expectLedgerError(reader, 'MVCC_CONFLICT');
    const height = await f.ledger.height();
    await expectLedgerError(f.ledger.submit(f.user, { ...probe('ReadWaitPut', 'nonce/z', 'nonce-z', '[]'), nonce }), 'MVCC_CONFLICT');
    expect(await f.ledger.height()).to.equal(height);
  });
});

describe('a chosen nonce gives the same transaction ID on the embedded ledger and through fabric-gateway', () => {
  it('withNonce rewrites a fabric-gateway proposal: nonce in the signature header, the ID in the channel header and beside the proposal', async () => {
    const f = await openLedgerFixture();
    const client = new grpc.Client('127.0.0.1:9', grpc.credentials.createInsecure());
    try {
      const identity = await f.identity(LIANGDANG, 'nonce-user');
      const gw = connect({
        client,
        identity: { mspId: identity.mspId, credentials: Buffer.from(identity.certificate) },
        signer: nodeCryptoSigner(identity.privateKey),
        hash: hash.none,
      });
      const nonce = randomBytes(NONCE_BYTES);
      const proposal = gw.getNetwork('countyledger').getContract('countyledger').newProposal(tx.membership.whoAmI.qualifiedName);
      const chosen = withNonce(proposal.getBytes(), nonce);
      expect(chosen.txId).to.equal(transactionIdOf(identity, nonce));
      expect(gw.newProposal(chosen.bytes).getTransactionId()).to.equal(chosen.txId);
      const proposed = gateway.ProposedTransaction.deserializeBinary(chosen.bytes);
      const header = common.Header.deserializeBinary(peer.Proposal.deserializeBinary(proposed.getProposal()!.getProposalBytes_asU8()).getHeader_asU8());
      expect(common.ChannelHeader.deserializeBinary(header.getChannelHeader_asU8()).getTxId()).to.equal(chosen.txId);
      expect(Buffer.from(common.SignatureHeader.deserializeBinary(header.getSignatureHeader_asU8()).getNonce_asU8()).equals(nonce)).to.equal(true);
      // the embedded ledger builds the same ID from the same nonce
      const embedded = await buildProposal(identity, 'countyledger', 'countyledger', { name: tx.membership.whoAmI.qualifiedName, nonce }, Date.now(), false);
      expect(embedded.txId).to.equal(chosen.txId);
      gw.close();
    } finally {
      client.close();
      await f.cleanup();
    }
  });
});
