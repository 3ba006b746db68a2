import { expect } from 'chai';
import { generateKeyPairSync } from 'node:crypto';
import { tx } from '../../chaincode/src/catalogue';
import { MessageChannel } from 'node:worker_threads';
import { Ledger, LedgerIdentity, TransactionRequest } from '../../gateway-api/src/ledger/ledger';
import { hostLedger } from '../../gateway-api/src/ledger/remote/ledger-host';
import { batchedSender, CALLS_PER_MESSAGE } from '../../gateway-api/src/ledger/remote/protocol';
import { RemoteLedger } from '../../gateway-api/src/ledger/remote/remote-ledger';

const turnEnd = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('ledger thread messages: batches between the HTTP and the ledger thread', () => {
  it("posts a turn's messages as one array, in order, once the turn ends", async () => {
    const posted: number[][] = [];
    const send = batchedSender<number>((batch) => posted.push(batch));
    for (let i = 0; i < 20; i++) send(i);
    expect(posted).to.deep.equal([]);
    await turnEnd();
    expect(posted).to.deep.equal([Array.from({ length: 20 }, (_, i) => i)]);
    send(20);
    await turnEnd();
    expect(posted).to.have.length(2);
    expect(posted[1]).to.deep.equal([20]);
  });

  it('with a bound, posts each full batch at once and the rest when the turn ends; nothing posted twice, nothing empty', async () => {
    const posted: number[][] = [];
    const send = batchedSender<number>((batch) => posted.push(batch), 3);
    for (let i = 0; i < 7; i++) send(i);
    expect(posted).to.deep.equal([
      [0, 1, 2],
      [3, 4, 5],
    ]);
    await turnEnd();
    expect(posted).to.deep.equal([[0, 1, 2], [3, 4, 5], [6]]);
    for (let i = 7; i < 10; i++) send(i);
    await turnEnd();
    expect(posted).to.deep.equal([[0, 1, 2], [3, 4, 5], [6], [7, 8, 9]]);
  });

  it('RemoteLedger sends a burst of calls CALLS_PER_MESSAGE to a message, so the ledger thread starts before the burst is parsed', async () => {
    const { port1, port2 } = new MessageChannel();
    const ledger = new RemoteLedger(port2, 'embedded');
    const sizes: number[] = [];
    let answered = 0;
    port1.on('message', (calls: Array<{ id: number }>) => {
      sizes.push(calls.length);
      // Answer as the ledger thread does, so the calls settle.
      port1.postMessage(calls.map((c) => ({ id: c.id, ok: true, value: 7 })));
    });
    const burst = 2 * CALLS_PER_MESSAGE + 3;
    const heights = await Promise.all(Array.from({ length: burst }, () => ledger.height().then((h) => (answered++, h))));
    expect(heights.every((h) => h === 7)).to.equal(true);
    expect(answered).to.equal(burst);
    expect(sizes).to.deep.equal([CALLS_PER_MESSAGE, CALLS_PER_MESSAGE, 3]);
    await ledger.close();
    port1.close();
  });

  it('a batch that cannot be posted fails every call in it with INTERNAL, none left waiting', async () => {
    const { port1, port2 } = new MessageChannel();
    const ledger = new RemoteLedger(port2, 'embedded');
    port1.on('message', (calls: Array<{ id: number }>) => port1.postMessage(calls.map((c) => ({ id: c.id, ok: true, value: 1 }))));
    // A function cannot be cloned: the batch it travels in is refused by postMessage.
    const calls = [ledger.height(), ledger.height(), ledger.getTransaction((() => 'x') as unknown as string), ledger.height()];
    const settled = await Promise.allSettled(calls);
    expect(settled.map((r) => r.status)).to.deep.equal(['rejected', 'rejected', 'rejected', 'rejected']);
    for (const r of settled) expect((r as PromiseRejectedResult).reason).to.include({ code: 'INTERNAL' });
    // The next call crosses as usual.
    expect(await ledger.height()).to.equal(1);
    await ledger.close();
    port1.close();
  });

  it('bytes cross in buffers of their own size, not with the 8 KiB pool slab a small Buffer is cut from', async () => {
    const { port1, port2 } = new MessageChannel();
    const received: TransactionRequest[] = [];
    // Answers as the embedded ledger makes them: small Buffers, slices of Node's pool.
    const ledger = {
      evaluate: async (_id: LedgerIdentity, request: TransactionRequest) => (received.push(request), Buffer.from('{"answer":1}')),
      submit: async (_id: LedgerIdentity, request: TransactionRequest) => (received.push(request), { txId: 't1', blockNumber: 3, payload: Buffer.from('ok') }),
      async *events() {
        yield { blockNumber: 3, txId: 't1', name: 'Happened', payload: Buffer.from('{"e":1}') };
      },
    } as unknown as Ledger;
    expect(Buffer.from('x').buffer.byteLength, 'small Buffers share a pool slab here').to.be.greaterThan(1);
    const host = hostLedger(ledger, port1);
    // The ledger thread's replies as they arrive, before RemoteLedger makes Buffers of them.
    const replies: Array<{ id?: number; value?: { payload?: Uint8Array }; event?: { payload: Uint8Array } }> = [];
    port2.on('message', (batch: typeof replies) => replies.push(...batch));
    const remote = new RemoteLedger(port2, 'embedded');
    const identity: LedgerIdentity = { mspId: 'LiangdangMSP', certificate: 'cert', privateKey: generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey };
    const slab = Buffer.alloc(4096, 9);
    const answer = await remote.evaluate(identity, { name: tx.membership.whoAmI.qualifiedName, args: [], transient: { secret: slab.subarray(10, 20) } });
    const result = await remote.submit(identity, { name: tx.membership.grantRole.qualifiedName, args: ['{}'], nonce: slab.subarray(100, 124) });
    for await (const event of remote.events()) {
      expect(event.payload.toString()).to.equal('{"e":1}');
      break;
    }
    expect(answer.toString()).to.equal('{"answer":1}');
    expect(answer.buffer.byteLength).to.equal(answer.byteLength);
    expect(result.payload.toString()).to.equal('ok');
    const submitted = replies.find((r) => r.value?.payload !== undefined)?.value?.payload;
    expect(submitted?.buffer.byteLength, 'the submit payload as it crossed').to.equal(2);
    const event = replies.find((r) => r.event !== undefined)?.event?.payload;
    expect(event?.buffer.byteLength, 'the event payload as it crossed').to.equal(7);
    const [evaluated, submittedRequest] = received as [TransactionRequest, TransactionRequest];
    expect(evaluated.transient?.secret?.buffer.byteLength).to.equal(10);
    expect(Buffer.from(evaluated.transient?.secret ?? []).equals(slab.subarray(10, 20))).to.equal(true);
    expect(submittedRequest.nonce?.buffer.byteLength).to.equal(24);
    expect(Buffer.from(submittedRequest.nonce ?? []).equals(slab.subarray(100, 124))).to.equal(true);
    await remote.close();
    host.close();
  });

  it('a call that throws on the ledger thread at once fails alone: the others of its batch are answered', async () => {
    const { port1, port2 } = new MessageChannel();
    const ledger = { height: async () => 5 } as unknown as Ledger;
    const host = hostLedger(ledger, port1);
    const replies = new Promise<Array<{ id: number; ok: boolean; value?: unknown; error?: { code: string; message: string } }>>((resolve) => {
      const all: Array<{ id: number; ok: boolean }> = [];
      port2.on('message', (batch: typeof all) => {
        all.push(...batch);
        if (all.length >= 2) resolve(all);
      });
    });
    // Identity 42 was never registered: serving the evaluate throws before any promise exists.
    port2.postMessage([
      { id: 1, op: 'evaluate', identityId: 42, request: { name: tx.membership.whoAmI.qualifiedName } },
      { id: 2, op: 'height' },
    ]);
    const answered = await replies;
    expect(answered.find((r) => r.id === 1)).to.deep.include({ ok: false });
    expect(answered.find((r) => r.id === 1)?.error).to.deep.include({ code: 'INTERNAL', message: 'identity 42 is not registered with the ledger thread' });
    expect(answered.find((r) => r.id === 2)).to.deep.include({ ok: true, value: 5 });
    host.close();
    port2.close();
  });
});
