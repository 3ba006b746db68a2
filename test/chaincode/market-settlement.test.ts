import { expect } from 'chai';
import { canonicalJson } from '../../chaincode/src/kernel/canonical-json';
import { ChaincodeError } from '../../chaincode/src/kernel/errors';
import { Asset, Order, dealSchema, tradeSchema } from '../../chaincode/src/market/records';
import { dealOf, requireSettleable, settlementDateOf, tradeOf } from '../../chaincode/src/market/settlement';
import { thrownBy } from '../support/expect-error';

const verification = {
  result: 'pass' as const,
  evidenceRefs: ['doc:inspection'],
  verifier: { mspId: 'FengxianMSP', member: 'ver-f' },
  at: '2025-03-01T02:00:00.000Z',
  txId: 'tx-verify',
};
const order: Order = {
  id: 'o-1',
  assetId: 'a-1',
  category: 'honey',
  sellerSubjectId: 'seller',
  buyerSubjectId: 'buyer',
  sellerCounty: 'LiangdangMSP',
  buyerCounty: 'HuixianMSP',
  originCounty: 'LiangdangMSP',
  crossRegion: true,
  priceFen: 130_001,
  depositFen: 26_000,
  depositPaymentRef: 'pay:dep',
  status: 'verified',
  orderedBy: { mspId: 'HuixianMSP', member: 'm-buyer' },
  orderedAt: '2025-03-01T01:00:00.000Z',
  orderTxId: 'tx-order',
  verifyBy: '2025-03-08',
  verification,
  payBy: '2025-03-04',
  updatedAt: '2025-03-01T02:00:00.000Z',
};
const asset: Asset = {
  id: 'a-1',
  kind: 'eco-product',
  title: 'Mountain honey',
  category: 'honey',
  originCounty: 'LiangdangMSP',
  ownerSubjectId: 'seller',
  costFen: 100_000,
  priceFen: 130_001,
  evidenceRefs: [],
  certifications: [],
  status: 'reserved',
  openOrderId: 'o-1',
  transferCount: 0,
  registeredBy: { mspId: 'LiangdangMSP', member: 'm-seller' },
  registeredAt: '2025-02-01T00:00:00.000Z',
  registerTxId: 'tx-register',
  updatedAt: '2025-03-01T01:00:00.000Z',
};

describe('market: settlement (结算 → 确权)', () => {
  it('the settlement date is T+1 in China Standard Time, whatever the UTC day', () => {
    expect(settlementDateOf(Date.parse('2025-03-01T15:59:59.999Z'))).to.equal('2025-03-02');
    expect(settlementDateOf(Date.parse('2025-03-01T16:00:00.000Z'))).to.equal('2025-03-03');
    expect(settlementDateOf(Date.parse('2024-12-31T16:00:00.000Z'))).to.equal('2025-01-02');
  });

  it('the deal carries the balance (price − deposit) and everything agreed, and is a valid deal record', () => {
    const time = { epochMs: Date.parse('2025-03-02T03:00:00.000Z'), iso: '2025-03-02T03:00:00.000Z' };
    const deal = dealOf(order, asset, verification, 'pay:bal', settlementDateOf(time.epochMs), time, 'tx-settle');
    expect(dealSchema.parse(deal)).to.deep.equal(deal);
    expect(deal).to.include({
      balanceFen: 104_001,
      priceFen: 130_001,
      depositFen: 26_000,
      settlementDate: '2025-03-03',
      settledAt: time.iso,
      settleTxId: 'tx-settle',
      title: 'Mountain honey',
    });
    // The evidence bytes are the canonical JSON of exactly this record.
    expect(JSON.parse(canonicalJson(deal))).to.deep.equal(deal);
  });

  it('the trade record is dated the CST day of the settling transaction', () => {
    const trade = tradeOf(order, asset, { epochMs: Date.parse('2025-03-02T16:30:00.000Z'), iso: '2025-03-02T16:30:00.000Z' });
    expect(tradeSchema.parse(trade)).to.deep.equal(trade);
    expect(trade).to.include({ date: '2025-03-03', assetKind: 'eco-product', originCounty: 'LiangdangMSP', crossRegion: true, priceFen: 130_001 });
  });

  it('needs the asset still reserved for the order by its seller, and the verification (CONFLICT otherwise)', () => {
    expect(requireSettleable(order, asset)).to.equal(verification);
    for (const [o, a, message] of [
      [order, { ...asset, openOrderId: 'o-2' }, 'asset a-1 is no longer reserved for order o-1'],
      [order, { ...asset, ownerSubjectId: 'someone' }, 'asset a-1 is no longer reserved for order o-1'],
      [{ ...order, verification: undefined }, asset, 'order o-1 has no verification'],
    ] as const) {
      const err = thrownBy(() => requireSettleable(o as Order, a as Asset)) as ChaincodeError;
      expect(err).to.be.instanceOf(ChaincodeError);
      expect(err).to.include({ code: 'CONFLICT', detail: message });
    }
  });
});
