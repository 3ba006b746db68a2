// The fixture loads fabric-contract-api, whose reflect-metadata polyfill @peculiar/x509 needs: import it first.
import { LIANGDANG, openLedgerFixture, LedgerFixture } from '../support/ledger-fixture';
import { expect } from 'chai';
import { tx } from '../../chaincode/src/catalogue';
import { requirePatched } from '../../chaincode/src/public';
import { LedgerIdentity } from '../../gateway-api/src/ledger/ledger';
import { buildProposal, BuiltProposal } from '../../gateway-api/src/ledger/embedded/proposal';
import { stubOfProposal } from '../../gateway-api/src/ledger/embedded/proposal-stub';
import { BENCH_TRANSACTIONS } from '../../scripts/bench/bench-contract';

interface Stub {
  getArgs(): string[];
  getBufferArgs(): Buffer[];
  getFunctionAndParameters(): { fcn: string; params: string[] };
  getTxID(): string;
  getChannelID(): string;
  getCreator(): { mspid: string; idBytes: Uint8Array };
  getTransient(): Map<string, Buffer>;
  getSignedProposal(): unknown;
  getTxTimestamp(): { seconds: { toString(): string }; nanos: number };
  getDateTimestamp(): Date;
  getBinding(): string;
}
type StubClass = new (handler: unknown, channel: string, txId: string, input: unknown, signedProposal: unknown) => Stub;
type ClientIdentityClass = new (stub: unknown) => {
  getID(): string;
  getMSPID(): string;
  getIDBytes(): Uint8Array;
  getAttributeValue(name: string): string | null;
};

// The embedded endorser hands fabric-shim's stub the proposal's fields instead of protobuf bytes to
// decode (proposal-stub.ts). Whatever the chaincode can ask the stub must be what fabric-shim's
// own decoding of the same proposal's bytes gives.
describe('embedded ledger: the stub of a proposal built in process', () => {
  let f: LedgerFixture;
  let identity: LedgerIdentity;
  const ChaincodeStub = requirePatched<StubClass>('fabric-shim', 'lib/stub');
  const ClientIdentity = requirePatched<{ ClientIdentity: ClientIdentityClass }>('fabric-shim', 'lib/chaincode').ClientIdentity;
  const handler = { name: 'handler' };

  before(async () => {
    f = await openLedgerFixture();
    identity = await f.identity(LIANGDANG, 'stub-reader');
  });
  after(async () => {
    await f?.cleanup();
  });

  /** Both stubs of one proposal: the one the endorser uses, and fabric-shim's decoding of its bytes. */
  function both(proposal: BuiltProposal): [Stub, Stub] {
    const ours = stubOfProposal(handler, 'countyledger', proposal) as unknown as Stub;
    const decoded = new ChaincodeStub(handler, 'countyledger', proposal.txId, proposal.chaincodeInput, {
      getProposalBytes: () => proposal.proposalBytes,
      getSignature: () => proposal.signature,
    });
    return [ours, decoded];
  }

  function expectSame(ours: Stub, decoded: Stub): void {
    expect(ours).to.be.instanceOf(ChaincodeStub);
    expect(ours.getArgs()).to.deep.equal(decoded.getArgs());
    expect(ours.getBufferArgs()).to.deep.equal(decoded.getBufferArgs());
    expect(ours.getFunctionAndParameters()).to.deep.equal(decoded.getFunctionAndParameters());
    expect(ours.getTxID()).to.equal(decoded.getTxID());
    expect(ours.getChannelID()).to.equal(decoded.getChannelID());
    // The same types too: the creator's bytes are a plain Uint8Array, as google-protobuf decodes them.
    expect(ours.getCreator().mspid).to.equal(decoded.getCreator().mspid);
    expect(ours.getCreator().idBytes.constructor).to.equal(decoded.getCreator().idBytes.constructor);
    expect(Buffer.from(ours.getCreator().idBytes)).to.deep.equal(Buffer.from(decoded.getCreator().idBytes));
    expect([...ours.getTransient()]).to.deep.equal([...decoded.getTransient()]);
    expect(ours.getTxTimestamp().nanos).to.equal(decoded.getTxTimestamp().nanos);
    expect(ours.getTxTimestamp().seconds.toString()).to.equal(decoded.getTxTimestamp().seconds.toString());
    expect(ours.getTxTimestamp().seconds.constructor).to.equal(decoded.getTxTimestamp().seconds.constructor);
    expect(ours.getDateTimestamp().getTime()).to.equal(decoded.getDateTimestamp().getTime());
    const timestampClass = (stub: Stub) => (stub as unknown as { txTimestamp: object }).txTimestamp.constructor;
    expect(timestampClass(ours)).to.equal(timestampClass(decoded));
    expect(ours.getBinding()).to.equal(decoded.getBinding());
    expect(ours.getSignedProposal()).to.deep.equal(decoded.getSignedProposal());
    // The identity the contract runtime gives the chaincode (ctx.clientIdentity).
    const [a, b] = [new ClientIdentity(ours), new ClientIdentity(decoded)];
    expect(a.getID()).to.equal(b.getID());
    expect(a.getMSPID()).to.equal(b.getMSPID());
    expect(Buffer.from(a.getIDBytes())).to.deep.equal(Buffer.from(b.getIDBytes()));
    expect(a.getAttributeValue('hf.EnrollmentID')).to.equal(b.getAttributeValue('hf.EnrollmentID'));
  }

  it('answers what fabric-shim decodes from the same proposal: arguments, creator, timestamp, transient data, binding, signed proposal', async () => {
    const transient = { zeta: Buffer.from('last'), alpha: Buffer.from('身份证 110101'), empty: Buffer.alloc(0), Beta: Buffer.from([0, 255]) };
    const proposal = await buildProposal(
      identity,
      'countyledger',
      'countyledger',
      { name: tx.subjects.registerIndividual.qualifiedName, args: ['{"a":"商户"}', '', 'x'], transient },
      Date.UTC(2026, 10, 22, 8, 0, 0, 123),
    );
    const [ours, decoded] = both(proposal);
    expectSame(ours, decoded);
    expect([...ours.getTransient().keys()]).to.deep.equal(['Beta', 'alpha', 'empty', 'zeta']);
    expect(ours.getDateTimestamp().toISOString()).to.equal('2026-11-22T08:00:00.123Z');
  });

  it('does so for an unsigned evaluation without transient data, at a whole second, at the epoch and past 2^31 seconds', async () => {
    for (const nowMs of [Date.UTC(2026, 0, 1), 0, Date.UTC(2100, 0, 1, 0, 0, 0, 999)]) {
      const proposal = await buildProposal(identity, 'countyledger', 'countyledger', { name: BENCH_TRANSACTIONS.get, args: ['k'] }, nowMs, false);
      const [ours, decoded] = both(proposal);
      expectSame(ours, decoded);
      expect(ours.getTransient().size).to.equal(0);
    }
  });

  it('leaves transient keys google-protobuf would not keep as they are to fabric-shim: __proto__, text that is not well-formed', async () => {
    const transient: Record<string, Buffer> = {
      ['__proto__']: Buffer.from('dropped by the decoder'),
      ['lone \ud800']: Buffer.from('renamed'),
      plain: Buffer.from('kept'),
    };
    expect(Object.keys(transient)).to.have.length(3);
    const proposal = await buildProposal(identity, 'countyledger', 'countyledger', { name: BENCH_TRANSACTIONS.put, args: ['k', 'v'], transient }, Date.now());
    const [ours, decoded] = both(proposal);
    expectSame(ours, decoded);
    expect(ours.getTransient().has('plain')).to.equal(true);
    expect(ours.getTransient().has('__proto__')).to.equal(false);
    expect(ours.getTransient().has('lone \ud800')).to.equal(false);
  });

  it('copies the transient values: a chaincode that changes one changes neither the request nor another stub', async () => {
    const secret = Buffer.from('secret');
    const proposal = await buildProposal(
      identity,
      'countyledger',
      'countyledger',
      { name: BENCH_TRANSACTIONS.put, args: ['k', 'v'], transient: { secret } },
      Date.now(),
    );
    const [first, second] = [stubOfProposal(handler, 'countyledger', proposal), stubOfProposal(handler, 'countyledger', proposal)] as unknown as [Stub, Stub];
    (first.getTransient().get('secret') as Buffer).fill(0);
    first.getCreator().idBytes.fill(0);
    expect(secret.toString()).to.equal('secret');
    expect((second.getTransient().get('secret') as Buffer).toString()).to.equal('secret');
    expect(Buffer.from(second.getCreator().idBytes).toString()).to.equal(identity.certificate);
  });
});
