import { expect } from 'chai';
import fc from 'fast-check';
import { tx } from '../../chaincode/src/catalogue';
import { identityJson, proposalJsonOf, recordJsonOf, responseJsonOf } from '../../gateway-api/src/ledger/embedded/record-json';
import { parseBlock, serializeBlock } from '../../gateway-api/src/ledger/embedded/block-format';
import { canonicalJson } from '../../gateway-api/src/verify/canonical-json';
import { endorsementBytes, proposalBytes, proposalOf, responseJson, TxRecord } from '../../gateway-api/src/verify/embedded-format';
import { listEco, marketCast, order, settle, verify, World } from '../support/market-world';

const text = fc.string({ unit: 'binary', maxLength: 40 });
const b64 = fc.base64String({ maxLength: 60 });
const hex64 = fc.stringMatching(/^[0-9a-f]{64}$/);
const recordArb: fc.Arbitrary<TxRecord> = fc.record({
  txId: hex64,
  channelId: text,
  chaincode: text,
  timestamp: fc.record({ seconds: fc.nat(), nanos: fc.nat({ max: 999_999_999 }) }),
  creator: fc.record({ mspId: text, certificate: fc.string({ unit: 'binary', maxLength: 300 }) }),
  signature: b64,
  proposalHash: hex64,
  transaction: fc.record({ name: text, args: fc.array(text, { maxLength: 4 }) }),
  response: fc.record({ status: fc.constant(200), payload: b64 }),
  rwset: fc.record({
    reads: fc.array(fc.tuple(text, fc.option(text, { nil: null })), { maxLength: 3 }),
    ranges: fc.array(fc.record({ start: text, end: text, results: fc.array(fc.tuple(text, text), { maxLength: 2 }), exhausted: fc.boolean() }), {
      maxLength: 2,
    }),
    writes: fc.array(fc.tuple(text, fc.option(b64, { nil: null })), { maxLength: 3 }),
    privateWrites: fc.array(fc.tuple(text, text, fc.option(text, { nil: null })), { maxLength: 2 }),
  }),
  event: fc.option(fc.record({ name: text, payload: b64 }), { nil: null }),
  endorsements: fc.array(fc.record({ mspId: text, endorser: text, certificate: text, signature: b64 }), { maxLength: 3 }),
});

/** The parts as the endorser makes them. */
function partsOf(r: TxRecord) {
  return {
    creatorJson: identityJson({ ...r.creator }),
    timestampJson: `{"nanos":${r.timestamp.nanos},"seconds":${r.timestamp.seconds}}`,
    transactionJson: canonicalJson(r.transaction),
    eventJson: canonicalJson(r.event),
    responseJson: canonicalJson(r.response),
    rwsetJson: canonicalJson(r.rwset),
  };
}

describe('ledger: transaction records put together from canonical parts give the canonical bytes', () => {
  it('record, proposal, response and endorsement bytes equal canonicalJson of the whole, for any record', () => {
    fc.assert(
      fc.property(recordArb, (r) => {
        const parts = partsOf(r);
        expect(recordJsonOf(r, parts)).to.equal(canonicalJson(r));
        expect(Buffer.from(proposalJsonOf(r, parts))).to.deep.equal(proposalBytes(proposalOf(r)));
        const response = responseJsonOf(r.proposalHash, parts);
        expect(response).to.equal(responseJson(r));
        for (const e of r.endorsements) expect(Buffer.from(response + identityJson(e))).to.deep.equal(endorsementBytes(response, e));
      }),
      { numRuns: 300 },
    );
  });

  it('the parts builder would notice a difference (not blind): another timestamp or a dropped endorsement changes the bytes', () => {
    fc.assert(
      fc.property(recordArb, (r) => {
        const parts = partsOf(r);
        expect(recordJsonOf(r, { ...parts, timestampJson: `{"nanos":${r.timestamp.nanos + 1},"seconds":${r.timestamp.seconds}}` })).to.not.equal(
          canonicalJson(r),
        );
        if (r.endorsements.length > 0) expect(recordJsonOf({ ...r, endorsements: r.endorsements.slice(1) }, parts)).to.not.equal(canonicalJson(r));
      }),
      { numRuns: 50 },
    );
  });

  it('every block a domain workload writes is stored in canonical JSON (re-serialising a parsed block gives its bytes)', async function () {
    this.timeout(60_000);
    const w = await World.open();
    try {
      const c = await marketCast(w);
      const asset = await listEco(c);
      const o = await order(c, asset.id);
      await verify(c, o.id);
      await settle(c, o.id);
      await w.evaluate(c.regA, tx.market.getOrder, { orderId: o.id });
      const height = await w.f.ledger.height();
      expect(height).to.be.greaterThan(10);
      for (let n = 0; n < height; n++) {
        const raw = (await w.f.ledger.rawBlock(n)) as Buffer;
        expect(serializeBlock(parseBlock(raw)).equals(raw), `block ${n}`).to.equal(true);
      }
    } finally {
      await w.cleanup();
    }
  });
});
