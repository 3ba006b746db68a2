/** The explorer's answers (gateway-api/src/schemas/explorer.ts). */
export interface BlockSummary {
  number: number;
  headerHash: string;
  previousHash: string;
  dataHash: string;
  txCount: number;
  time: string | null;
}
export interface TransactionView {
  txId: string;
  txIndex: number;
  type: string;
  validationCode: string;
  timestamp: string;
  creator: { mspId: string; member: string | null };
  endorsingOrganisations: string[];
  chaincode: string;
  transactionName: string;
  readKeys: string[];
  rangeReads: Array<{ startKey: string; endKey: string }>;
  writeKeys: string[];
  deletedKeys: string[];
  privateCollections: string[];
}
export interface BlockView extends BlockSummary {
  transactions: TransactionView[];
}
export interface IndexProgress {
  indexedHeight: number;
  height: number;
  catchingUp: boolean;
}
export interface BlockPage {
  items: BlockSummary[];
  nextBefore?: number;
  height: number;
  index: IndexProgress;
}
