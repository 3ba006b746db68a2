import { z } from 'zod';
import { evaluated, pageSchema, submitted } from '../kernel/transaction';
import { alertSchema, assetSchema, categoryIndexSchema, orderSchema, ownershipTransferSchema, tradeSchema } from './records';
import {
  alertRefInput,
  assetRefInput,
  cancelOrderInput,
  categoryRefInput,
  listCategoryIndexesInput,
  listAlertsInput,
  listAssetsByOwnerInput,
  listListedAssetsInput,
  listOrdersInput,
  listTradesInput,
  orderRefInput,
  ownershipHistoryInput,
  placeOrderInput,
  recordVerificationInput,
  registerAssetInput,
  resolveAlertInput,
  setListingInput,
  settleOrderInput,
} from './schemas';

/** A regulator's decision on a risk alert: the decided alert and its order as the decision left it. */
export const alertDecisionSchema = z
  .strictObject({ alert: alertSchema, order: orderSchema })
  .describe("A regulator's decision on a risk alert: the alert as decided and its order as the decision left it (continued or cancelled).");

/** The Market contract's transactions (see market-contract.ts). */
export const marketTransactions = {
  registerAsset: submitted('Market', 'RegisterAsset', registerAssetInput, assetSchema),
  setListing: submitted('Market', 'SetListing', setListingInput, assetSchema),
  getAsset: evaluated('Market', 'GetAsset', assetRefInput, assetSchema),
  ownershipHistory: evaluated('Market', 'OwnershipHistory', ownershipHistoryInput, pageSchema(ownershipTransferSchema)),
  listListedAssets: evaluated('Market', 'ListListedAssets', listListedAssetsInput, pageSchema(assetSchema)),
  listAssetsByOwner: evaluated('Market', 'ListAssetsByOwner', listAssetsByOwnerInput, pageSchema(assetSchema)),
  placeOrder: submitted('Market', 'PlaceOrder', placeOrderInput, orderSchema),
  recordVerification: submitted('Market', 'RecordVerification', recordVerificationInput, orderSchema),
  settleOrder: submitted('Market', 'SettleOrder', settleOrderInput, orderSchema),
  cancelOrder: submitted('Market', 'CancelOrder', cancelOrderInput, orderSchema),
  getOrder: evaluated('Market', 'GetOrder', orderRefInput, orderSchema),
  listOrders: evaluated('Market', 'ListOrders', listOrdersInput, pageSchema(orderSchema)),
  listTrades: evaluated('Market', 'ListTrades', listTradesInput, pageSchema(tradeSchema)),
  resolveAlert: submitted('Market', 'ResolveAlert', resolveAlertInput, alertDecisionSchema),
  getAlert: evaluated('Market', 'GetAlert', alertRefInput, alertSchema),
  listAlerts: evaluated('Market', 'ListAlerts', listAlertsInput, pageSchema(alertSchema)),
  getCategoryIndex: evaluated('Market', 'GetCategoryIndex', categoryRefInput, categoryIndexSchema),
  /** Every category's index, by category name, a page at a time (the public price indexes). */
  listCategoryIndexes: evaluated('Market', 'ListCategoryIndexes', listCategoryIndexesInput, pageSchema(categoryIndexSchema)),
};
