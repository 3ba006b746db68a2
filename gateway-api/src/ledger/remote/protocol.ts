import { ChainVerification, ChaincodeEvent, SubmitResult, TransactionInfo, TransactionRequest } from '../ledger';

/** Messages between the HTTP thread (RemoteLedger) and the ledger thread (LedgerHost). */
export type LedgerCall =
  | { readonly id: number; readonly op: 'identity'; readonly identityId: number; readonly mspId: string; readonly certificate: string; readonly privateKeyPem: string }
  | { readonly id: number; readonly op: 'submit' | 'evaluate'; readonly identityId: number; readonly request: TransactionRequest }
  | { readonly id: number; readonly op: 'getTransaction'; readonly txId: string }
  | { readonly id: number; readonly op: 'height' | 'verifyChain' }
  | { readonly id: number; readonly op: 'subscribe'; readonly startBlock?: number }
  | { readonly id: number; readonly op: 'unsubscribe'; readonly subscription: number };

export type LedgerReply =
  | { readonly id: number; readonly ok: true; readonly value: SubmitResult | Uint8Array | TransactionInfo | ChainVerification | number | null | undefined }
  | { readonly id: number; readonly ok: false; readonly error: { readonly code: string; readonly message: string; readonly transactionId?: string } }
  | { readonly subscription: number; readonly event: ChaincodeEvent }
  | { readonly subscription: number; readonly end: true; readonly error?: string };
