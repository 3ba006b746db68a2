import { ChainVerification, ChaincodeEvent, SubmitResult, TransactionInfo, TransactionRequest } from '../ledger';

/**
 * Messages between the HTTP thread (RemoteLedger) and the ledger thread (LedgerHost). Each side
 * sends them in batches (an array per postMessage): everything queued in one turn of its event
 * loop goes in one message, so under load a thread wakes once for many calls or replies.
 */
export type LedgerCall =
  | {
      readonly id: number;
      readonly op: 'identity';
      readonly identityId: number;
      readonly mspId: string;
      readonly certificate: string;
      readonly privateKeyPem: string;
    }
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

/** Queues messages and posts them as one array at the end of the current event-loop turn. */
export function batchedSender<T>(post: (batch: T[]) => void): (message: T) => void {
  let outbox: T[] = [];
  const flush = () => {
    const batch = outbox;
    outbox = [];
    post(batch);
  };
  return (message: T) => {
    outbox.push(message);
    if (outbox.length === 1) setImmediate(flush);
  };
}
