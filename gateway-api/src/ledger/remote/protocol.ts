import { BlockView, ChainVerification, ChaincodeEvent, SubmitResult, TransactionInfo, TransactionRequest, TransactionView } from '../ledger';
import type { ChainTrust, LedgerProof } from '../../verify/bundle';

/**
 * Messages between the HTTP thread (RemoteLedger) and the ledger thread (LedgerHost). Each side
 * sends them in batches (an array per postMessage), so under load a thread wakes once for many
 * calls or replies: the ledger thread's replies of one turn of its event loop in one message, the
 * HTTP thread's calls at most CALLS_PER_MESSAGE to a message (see there).
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
  | { readonly id: number; readonly op: 'blockView'; readonly blockNumber: number }
  | { readonly id: number; readonly op: 'transactionView'; readonly txId: string }
  | { readonly id: number; readonly op: 'height' | 'verifyChain' | 'chainTrust' }
  | { readonly id: number; readonly op: 'proofOf'; readonly txId: string; readonly recordKey: string }
  | { readonly id: number; readonly op: 'rawBlock'; readonly n: number }
  | { readonly id: number; readonly op: 'subscribe'; readonly startBlock?: number }
  | { readonly id: number; readonly op: 'unsubscribe'; readonly subscription: number }
  /** The HTTP thread has taken `count` more events of a subscription: the ledger thread may send that many more. */
  | { readonly id: number; readonly op: 'more'; readonly subscription: number; readonly count: number };

/** Events of a subscription the ledger thread sends ahead of what the HTTP thread has taken. */
export const SUBSCRIPTION_WINDOW = 256;

export type LedgerReply =
  | {
      readonly id: number;
      readonly ok: true;
      readonly value:
        SubmitResult | Uint8Array | TransactionInfo | ChainVerification | BlockView | TransactionView | LedgerProof | ChainTrust | number | null | undefined;
    }
  | {
      readonly id: number;
      readonly ok: false;
      /** `cause`: the failure behind it as text (failureText), for the HTTP thread's log. */
      readonly error: { readonly code: string; readonly message: string; readonly transactionId?: string; readonly cause?: string };
    }
  /** How far a running verifyChain call has got. */
  | { readonly progress: number; readonly checked: number; readonly height: number }
  | { readonly subscription: number; readonly event: ChaincodeEvent }
  | { readonly subscription: number; readonly end: true; readonly error?: string };

/**
 * Calls the HTTP thread puts in one message. With a whole turn's calls in one message, a burst of
 * requests crossed as one convoy: the ledger thread waited while the HTTP thread parsed all of
 * them, then the HTTP thread waited for all the answers; 64 evaluates in flight kept neither
 * thread busy. Eight to a message, the ledger thread starts on the first while the rest are
 * parsed: REST evaluates +30 – 70% in interleaved runs, REST submits no slower.
 */
export const CALLS_PER_MESSAGE = 8;

/**
 * Queues messages and posts them as one array at the end of the current event-loop turn, or as
 * soon as `perMessage` are queued.
 */
export function batchedSender<T>(post: (batch: T[]) => void, perMessage = Infinity): (message: T) => void {
  let outbox: T[] = [];
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    if (outbox.length === 0) return;
    const batch = outbox;
    outbox = [];
    post(batch);
  };
  return (message: T) => {
    outbox.push(message);
    if (outbox.length >= perMessage) flush();
    else if (!scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
  };
}

/**
 * The bytes of a view in a buffer of their own. A postMessage copies a view's whole backing
 * ArrayBuffer, and a small Buffer is usually a slice of Node's 8 KiB pool: each answer of a few
 * bytes crossed as 8 KiB, copied and allocated (outside the heap, which drives collections) on
 * both threads.
 */
export function ownBytes(bytes: Uint8Array): Buffer {
  const own = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : new Uint8Array(bytes);
  return Buffer.from(own.buffer, own.byteOffset, own.byteLength);
}

/** A request whose bytes (nonce, transient values) cross in buffers of their own (ownBytes). */
export function crossingRequest(request: TransactionRequest): TransactionRequest {
  if (request.nonce === undefined && request.transient === undefined) return request;
  return {
    ...request,
    ...(request.nonce !== undefined ? { nonce: ownBytes(request.nonce) } : {}),
    ...(request.transient !== undefined ? { transient: Object.fromEntries(Object.entries(request.transient).map(([k, v]) => [k, ownBytes(v)])) } : {}),
  };
}
