import { createPrivateKey } from 'node:crypto';
import { MessagePort } from 'node:worker_threads';
import { failureText, LedgerError } from '../errors';
import { Ledger, LedgerIdentity } from '../ledger';
import { batchedSender, LedgerCall, LedgerReply, ownBytes, SUBSCRIPTION_WINDOW } from './protocol';

/**
 * Serves a Ledger to another thread over a MessagePort, so the HTTP work of the
 * gateway and the chaincode work of the embedded ledger run on different cores.
 */
export function hostLedger(ledger: Ledger, port: MessagePort): { close(): void } {
  const identities = new Map<number, LedgerIdentity>();
  const subscriptions = new Map<number, AbortController>();
  const reply = batchedSender<LedgerReply>((batch) => port.postMessage(batch));
  const credits = new Map<number, { left: number; wake?: () => void }>();
  const fail = (id: number, err: unknown) => {
    const e = err instanceof LedgerError ? err : new LedgerError('INTERNAL', 'the ledger failed', { cause: err });
    // The cause crosses as text, so the HTTP thread logs what went wrong, not only that something did.
    const cause = e.cause === undefined ? undefined : failureText(e.cause);
    reply({
      id,
      ok: false,
      error: { code: e.code, message: e.message, ...(e.transactionId ? { transactionId: e.transactionId } : {}), ...(cause ? { cause } : {}) },
    });
  };
  const identity = (id: number): LedgerIdentity => {
    const found = identities.get(id);
    if (!found) throw new LedgerError('INTERNAL', `identity ${id} is not registered with the ledger thread`);
    return found;
  };

  port.on('message', (calls: LedgerCall[]) => {
    for (const call of calls) {
      // A call that throws at once (an identity never registered, a key that cannot be read) fails alone: the ledger thread and the rest of the batch go on.
      try {
        serve(call);
      } catch (err) {
        fail(call.id, err);
      }
    }
  });

  const serve = (call: LedgerCall): void => {
    switch (call.op) {
      case 'identity':
        identities.set(call.identityId, { mspId: call.mspId, certificate: call.certificate, privateKey: createPrivateKey(call.privateKeyPem) });
        reply({ id: call.id, ok: true, value: null });
        return;
      case 'submit':
        ledger.submit(identity(call.identityId), call.request).then(
          (value) => reply({ id: call.id, ok: true, value: { ...value, payload: ownBytes(value.payload) } }),
          (err) => fail(call.id, err),
        );
        return;
      case 'evaluate':
        ledger.evaluate(identity(call.identityId), call.request).then(
          (value) => reply({ id: call.id, ok: true, value: ownBytes(value) }),
          (err) => fail(call.id, err),
        );
        return;
      case 'getTransaction':
        ledger.getTransaction(call.txId).then(
          (value) => reply({ id: call.id, ok: true, value }),
          (err) => fail(call.id, err),
        );
        return;
      case 'blockView':
        ledger.blockView(call.blockNumber).then(
          (value) => reply({ id: call.id, ok: true, value }),
          (err) => fail(call.id, err),
        );
        return;
      case 'transactionView':
        ledger.transactionView(call.txId).then(
          (value) => reply({ id: call.id, ok: true, value }),
          (err) => fail(call.id, err),
        );
        return;
      case 'height':
        ledger.height().then(
          (value) => reply({ id: call.id, ok: true, value }),
          (err) => fail(call.id, err),
        );
        return;
      case 'verifyChain':
        ledger.verifyChain({ onProgress: (checked, height) => reply({ progress: call.id, checked, height }) }).then(
          (value) => reply({ id: call.id, ok: true, value }),
          (err) => fail(call.id, err),
        );
        return;
      case 'chainTrust':
        ledger.chainTrust().then(
          (value) => reply({ id: call.id, ok: true, value }),
          (err) => fail(call.id, err),
        );
        return;
      case 'proofOf':
        ledger.proofOf(call.txId, call.recordKey).then(
          (value) => reply({ id: call.id, ok: true, value }),
          (err) => fail(call.id, err),
        );
        return;
      case 'rawBlock':
        ledger.rawBlock(call.n).then(
          (value) => reply({ id: call.id, ok: true, value }),
          (err) => fail(call.id, err),
        );
        return;
      case 'subscribe': {
        const controller = new AbortController();
        subscriptions.set(call.id, controller);
        // At most SUBSCRIPTION_WINDOW events ahead of what the HTTP thread has taken ('more'), so a
        // slow stream waits here instead of piling up in the other thread's memory.
        const credit: { left: number; wake?: () => void } = { left: SUBSCRIPTION_WINDOW };
        credits.set(call.id, credit);
        const abortWait = () => credit.wake?.();
        controller.signal.addEventListener('abort', abortWait, { once: true });
        void (async () => {
          try {
            for await (const event of ledger.events({ ...(call.startBlock !== undefined ? { startBlock: call.startBlock } : {}), signal: controller.signal })) {
              while (credit.left === 0 && !controller.signal.aborted) await new Promise<void>((resolve) => (credit.wake = resolve));
              if (controller.signal.aborted) break;
              credit.left--;
              reply({ subscription: call.id, event: { ...event, payload: ownBytes(event.payload) } });
            }
            reply({ subscription: call.id, end: true });
          } catch (err) {
            reply({ subscription: call.id, end: true, error: String(err) });
          } finally {
            controller.signal.removeEventListener('abort', abortWait);
            subscriptions.delete(call.id);
            credits.delete(call.id);
          }
        })();
        return;
      }
      case 'more': {
        const credit = credits.get(call.subscription);
        if (!credit) return;
        credit.left += call.count;
        const wake = credit.wake;
        credit.wake = undefined;
        wake?.();
        return;
      }
      case 'unsubscribe':
        subscriptions.get(call.subscription)?.abort();
        return;
    }
  };
  return {
    close: () => {
      for (const c of subscriptions.values()) c.abort();
      port.close();
    },
  };
}
