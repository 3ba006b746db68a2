import { z } from 'zod';
import { evaluated, submitted } from '../kernel/transaction';
import { alertRefInput, assetRefInput, cancelOrderInput, categoryRefInput, listAlertsInput, listAssetsByOwnerInput, listListedAssetsInput, listOrdersInput, listTradesInput, orderRefInput, ownershipHistoryInput, placeOrderInput, recordVerificationInput, registerAssetInput, resolveAlertInput, setListingInput, setRiskConfigInput, settleOrderInput } from './schemas';

/** The Market contract's transactions (see market-contract.ts). */
export const marketTransactions = {
  registerAsset: submitted('Market', 'RegisterAsset', registerAssetInput, z.unknown()),
  setListing: submitted('Market', 'SetListing', setListingInput, z.unknown()),
  getAsset: evaluated('Market', 'GetAsset', assetRefInput, z.unknown()),
  ownershipHistory: evaluated('Market', 'OwnershipHistory', ownershipHistoryInput, z.unknown()),
  listListedAssets: evaluated('Market', 'ListListedAssets', listListedAssetsInput, z.unknown()),
  listAssetsByOwner: evaluated('Market', 'ListAssetsByOwner', listAssetsByOwnerInput, z.unknown()),
  placeOrder: submitted('Market', 'PlaceOrder', placeOrderInput, z.unknown()),
  recordVerification: submitted('Market', 'RecordVerification', recordVerificationInput, z.unknown()),
  settleOrder: submitted('Market', 'SettleOrder', settleOrderInput, z.unknown()),
  cancelOrder: submitted('Market', 'CancelOrder', cancelOrderInput, z.unknown()),
  getOrder: evaluated('Market', 'GetOrder', orderRefInput, z.unknown()),
  listOrders: evaluated('Market', 'ListOrders', listOrdersInput, z.unknown()),
  listTrades: evaluated('Market', 'ListTrades', listTradesInput, z.unknown()),
  resolveAlert: submitted('Market', 'ResolveAlert', resolveAlertInput, z.unknown()),
  getAlert: evaluated('Market', 'GetAlert', alertRefInput, z.unknown()),
  listAlerts: evaluated('Market', 'ListAlerts', listAlertsInput, z.unknown()),
  setRiskConfig: submitted('Market', 'SetRiskConfig', setRiskConfigInput, z.unknown()),
  getRiskConfig: evaluated('Market', 'GetRiskConfig', undefined, z.unknown()),
  getCategoryIndex: evaluated('Market', 'GetCategoryIndex', categoryRefInput, z.unknown()),
};
