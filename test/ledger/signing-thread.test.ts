import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, KeyObject, sign, verify } from 'node:crypto';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { SigningThread } from '../../gateway-api/src/ledger/signing-thread';
import { SIGNATURES_PER_REPLY, SigningReply, SigningRequest } from '../../gateway-api/src/ledger/signing-protocol';

const p256 = () => generateKeyPairSync('ec', { namedCurve: 'P-256' });

describe('ledger: signatures on the signing thread (SigningThread)', () => {
  const signer = new SigningThread();
  after(() => signer.close());

  it('signs each job with its own key, in one turn and across turns, beyond one request and one reply', async () => {
    const keys = [p256(), p256(), p256()];
    const jobs = Array.from({ length: SigningThread.JOBS_PER_REQUEST * 2 + SIGNATURES_PER_REPLY + 3 }, (_, i) => ({
      data: Buffer.from(`job ${i} `.repeat(1 + (i % 7))),
      key: keys[i % keys.length] as { privateKey: KeyObject; publicKey: KeyObject },
    }));
    const firstTurn = jobs.slice(0, 100).map((j) => signer.sign(j.data, j.key.privateKey));
    await new Promise((resolve) => setImmediate(resolve));
    const signatures = [...(await Promise.all(firstTurn)), ...(await Promise.all(jobs.slice(100).map((j) => signer.sign(j.data, j.key.privateKey))))];
    expect(signatures).to.have.length(jobs.length);
    jobs.forEach((j, i) => {
      const signature = signatures[i] as Buffer;
      expect(verify('sha256', j.data, j.key.publicKey, signature), `job ${i}`).to.equal(true);
      const other = keys[(i + 1) % keys.length] as { publicKey: KeyObject };
      expect(verify('sha256', j.data, other.publicKey, signature), `job ${i} under another key`).to.equal(false);
    });
  });

  it('signs a slice of a larger buffer as the slice, not its backing memory', async () => {
    const { privateKey, publicKey } = p256();
    const whole = Buffer.from('0123456789abcdef');
    const slice = whole.subarray(4, 9);
    expect(verify('sha256', Buffer.from('45678'), publicKey, await signer.sign(slice, privateKey))).to.equal(true);
  });

  it('signs text parts as their UTF-8 bytes one after the other, between buffers of the same request, growing past its first capacity', async () => {
    const { privateKey, publicKey } = p256();
    const large = 'x'.repeat(20 * 1024);
    const messages: Array<readonly string[]> = [['{"a":', '"县域账本 ✓"}'], [], [''], ['\u{1F600} ', large, ' end']];
    const jobs = [
      signer.sign(Buffer.from('before'), privateKey),
      ...messages.map((m) => signer.sign(m, privateKey)),
      signer.sign(Buffer.from('after'), privateKey),
    ];
    const [before, ...rest] = await Promise.all(jobs);
    expect(verify('sha256', Buffer.from('before'), publicKey, before as Buffer)).to.equal(true);
    messages.forEach((m, i) => expect(verify('sha256', Buffer.from(m.join(''), 'utf8'), publicKey, rest[i] as Buffer), `message ${i}`).to.equal(true));
    expect(verify('sha256', Buffer.from('after'), publicKey, rest[messages.length] as Buffer)).to.equal(true);
  });

  it('refuses a message that is neither bytes nor text parts before anything of it is queued', async () => {
    const { privateKey, publicKey } = p256();
    // A bare string would be signed as its bytes were it not refused (Buffer.byteLength takes one).
    const refused = signer.sign('text' as unknown as string[], privateKey);
    const next = signer.sign(['next'], privateKey);
    await refused.then(
      () => expect.fail('a bare string was signed'),
      (err: Error) => expect(err).to.be.instanceOf(TypeError).with.property('message', 'a message to sign is a Uint8Array or an array of strings'),
    );
    expect(verify('sha256', Buffer.from('next'), publicKey, await next)).to.equal(true);
  });

  it('fails a job it cannot sign alone: the others of its request are signed', async () => {
    const good = p256();
    const ed25519 = generateKeyPairSync('ed25519');
    const results = await Promise.allSettled([
      signer.sign(Buffer.from('a'), good.privateKey),
      signer.sign(Buffer.from('b'), ed25519.privateKey),
      signer.sign(Buffer.from('c'), good.privateKey),
    ]);
    expect(results.map((r) => r.status)).to.deep.equal(['fulfilled', 'rejected', 'fulfilled']);
    const reason = (results[1] as PromiseRejectedResult).reason as Error & { code?: string };
    expect(reason.message).to.match(/digest/);
    // The same error code as signing on this thread gives.
    let expected: string | undefined;
    try {
      sign('sha256', Buffer.from('b'), ed25519.privateKey);
    } catch (err) {
      expected = (err as { code?: string }).code;
    }
    expect(expected).to.be.a('string');
    expect(reason.code).to.equal(expected);
    expect(verify('sha256', Buffer.from('c'), good.publicKey, (results[2] as PromiseFulfilledResult<Buffer>).value)).to.equal(true);
  });

  it('refuses a call without a private key alone, before anything of it is queued: the jobs around it keep their own signatures', async () => {
    const a = p256();
    const b = p256();
    const results = await Promise.allSettled([
      signer.sign(Buffer.from('AAAA'), a.privateKey),
      signer.sign(Buffer.from('BBBB'), undefined as unknown as KeyObject),
      signer.sign(Buffer.from('CCCC'), a.publicKey),
      signer.sign(Buffer.from('DDDD'), b.privateKey),
    ]);
    expect(results.map((r) => r.status)).to.deep.equal(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
    expect(String((results[1] as PromiseRejectedResult).reason)).to.match(/private KeyObject/);
    expect(verify('sha256', Buffer.from('AAAA'), a.publicKey, (results[0] as PromiseFulfilledResult<Buffer>).value)).to.equal(true);
    expect(verify('sha256', Buffer.from('DDDD'), b.publicKey, (results[3] as PromiseFulfilledResult<Buffer>).value)).to.equal(true);
  });

  it('signs jobs larger than the request buffer it starts with (it grows), and the small ones after them', async () => {
    const { privateKey, publicKey } = p256();
    const large = Buffer.alloc(300 * 1024, 7);
    const jobs = [Buffer.from('small before'), large, Buffer.alloc(40 * 1024, 3), Buffer.from('small after')];
    const signatures = await Promise.all(jobs.map((j) => signer.sign(j, privateKey)));
    jobs.forEach((j, i) => expect(verify('sha256', j, publicKey, signatures[i] as Buffer), `job ${i}`).to.equal(true));
    const next = await signer.sign(Buffer.from('next turn'), privateKey);
    expect(verify('sha256', Buffer.from('next turn'), publicKey, next)).to.equal(true);
  });

  it('signs the bytes as they were when asked: the caller may reuse its buffer at once', async () => {
    const { privateKey, publicKey } = p256();
    const reused = Buffer.from('first message');
    const first = signer.sign(reused, privateKey);
    reused.write('later message');
    expect(verify('sha256', Buffer.from('first message'), publicKey, await first)).to.equal(true);
  });

  it('fails what a stopped thread owed, and starts another for the next signature', async () => {
    const local = new SigningThread();
    const { privateKey, publicKey } = p256();
    await local.sign(Buffer.from('start'), privateKey);
    const owed = Array.from({ length: 200 }, (_, i) => local.sign(Buffer.from(`owed ${i}`), privateKey));
    // The jobs crossed at the end of the turn; the thread is stopped while it signs them.
    await new Promise((resolve) => setImmediate(resolve));
    await local.close();
    const settled = await Promise.allSettled(owed);
    const failed = settled.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
    // Every one settled: the ones signed before the stop verify, every other failed with the stop.
    expect(failed.length).to.be.greaterThan(0);
    for (const f of failed) expect(String(f.reason)).to.match(/signing thread exited/);
    settled.forEach((r, i) => {
      if (r.status === 'fulfilled') expect(verify('sha256', Buffer.from(`owed ${i}`), publicKey, r.value), `owed ${i}`).to.equal(true);
    });
    const again = await local.sign(Buffer.from('again'), privateKey);
    expect(verify('sha256', Buffer.from('again'), publicKey, again)).to.equal(true);
    await local.close();
  });

  it('does not keep the process alive once nothing is owed', function () {
    this.timeout(20000);
    const module = path.join(__dirname, '../../gateway-api/src/ledger/signing-thread.js');
    const script = `
      const { generateKeyPairSync } = require('node:crypto');
      const { SigningThread } = require(${JSON.stringify(module)});
      const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      SigningThread.shared().sign(Buffer.from('x'), privateKey).then((s) => console.log('signed', s.length > 60));`;
    // execFileSync returns once the child has exited: a thread that kept it alive would hit the timeout.
    expect(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 10000 }).trim()).to.equal('signed true');
  });
});

describe('ledger: the signing thread itself (signing-worker.ts)', () => {
  let worker: Worker;
  before(() => {
    worker = new Worker(path.join(__dirname, '../../gateway-api/src/ledger/signing-worker.js'));
  });
  after(() => worker.terminate());

  /** Posts one request and gathers its replies until every job is answered. */
  const answer = (request: SigningRequest) =>
    new Promise<SigningReply>((resolve) => {
      const all: SigningReply = { ids: [], signatures: [], errors: [] };
      const onReply = (r: SigningReply) => {
        all.ids.push(...r.ids);
        all.signatures.push(...r.signatures);
        all.errors.push(...r.errors);
        if (all.ids.length + all.errors.length === request.ids.length) {
          worker.off('message', onReply);
          resolve(all);
        }
      };
      worker.on('message', onReply);
      worker.postMessage(request);
    });
  const packed = (...parts: string[]) => {
    const bytes = Buffer.concat(parts.map((p) => Buffer.from(p)));
    let end = 0;
    return { bytes: new Uint8Array(bytes).buffer, ends: parts.map((p) => (end += Buffer.byteLength(p))) };
  };

  it('answers each signature under its own job when a job between them names a key it does not hold', async () => {
    const k = p256();
    const reply = await answer({ keys: [[1, k.privateKey]], dropKeys: [], ids: [10, 11, 12], keyIds: [1, 99, 1], ...packed('ten', 'eleven', 'twelve') });
    expect(reply.ids).to.deep.equal([10, 12]);
    expect(reply.signatures).to.have.length(2);
    expect(verify('sha256', Buffer.from('ten'), k.publicKey, reply.signatures[0] as Uint8Array)).to.equal(true);
    expect(verify('sha256', Buffer.from('twelve'), k.publicKey, reply.signatures[1] as Uint8Array)).to.equal(true);
    expect(reply.errors.map(([id, message]) => [id, message])).to.deep.equal([[11, 'signing key 99 is not registered with the signing thread']]);
  });

  it('lets a dropped key go only after the jobs of the request that drops it', async () => {
    const k = p256();
    const signed = await answer({ keys: [[5, k.privateKey]], dropKeys: [5], ids: [20], keyIds: [5], ...packed('last use') });
    expect(signed.ids).to.deep.equal([20]);
    expect(verify('sha256', Buffer.from('last use'), k.publicKey, signed.signatures[0] as Uint8Array)).to.equal(true);
    const after = await answer({ keys: [], dropKeys: [], ids: [21], keyIds: [5], ...packed('too late') });
    expect(after.errors.map(([id]) => id)).to.deep.equal([21]);
  });
});
