import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, KeyObject, verify } from 'node:crypto';
import path from 'node:path';
import { SigningThread } from '../../gateway-api/src/ledger/signing-thread';
import { SIGNATURES_PER_REPLY } from '../../gateway-api/src/ledger/signing-protocol';

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

  it('fails a job it cannot sign alone: the others of its request are signed', async () => {
    const good = p256();
    const ed25519 = generateKeyPairSync('ed25519');
    const results = await Promise.allSettled([
      signer.sign(Buffer.from('a'), good.privateKey),
      signer.sign(Buffer.from('b'), ed25519.privateKey),
      signer.sign(Buffer.from('c'), good.privateKey),
    ]);
    expect(results.map((r) => r.status)).to.deep.equal(['fulfilled', 'rejected', 'fulfilled']);
    expect(String((results[1] as PromiseRejectedResult).reason)).to.match(/digest/);
    expect(verify('sha256', Buffer.from('c'), good.publicKey, (results[2] as PromiseFulfilledResult<Buffer>).value)).to.equal(true);
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
    expect(failed.length).to.be.greaterThan(0);
    expect(String(failed[0]?.reason)).to.match(/signing thread exited/);
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
