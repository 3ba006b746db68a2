import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { createPrivateKey, generateKeyPairSync, verify } from 'node:crypto';
import path from 'node:path';
import { signBatched } from '../../gateway-api/src/ledger/sign-batched';

describe('Ledger: signatures on the signing thread, in batches', () => {
  const a = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const b = generateKeyPairSync('ec', { namedCurve: 'P-256' });

  it('signs with SHA-256 and each key its own; every signature of a batch verifies against its message', async () => {
    const messages = Array.from({ length: 300 }, (_, i) => Buffer.from(`message ${i}`));
    const signatures = await Promise.all(messages.map((m, i) => signBatched(m, i % 2 ? b.privateKey : a.privateKey)));
    messages.forEach((m, i) => {
      const key = i % 2 ? b.publicKey : a.publicKey;
      const other = i % 2 ? a.publicKey : b.publicKey;
      expect(verify('sha256', m, key, signatures[i] as Buffer), `signature ${i}`).to.equal(true);
      expect(verify('sha256', m, other, signatures[i] as Buffer), `signature ${i} by the other key`).to.equal(false);
    });
  });

  it('signs again in later turns with keys it has seen, and with a new KeyObject of the same key', async () => {
    const first = await signBatched(Buffer.from('one'), a.privateKey);
    const again = createPrivateKey(a.privateKey.export({ format: 'pem', type: 'pkcs8' }));
    const second = await signBatched(Buffer.from('two'), again);
    expect(verify('sha256', Buffer.from('one'), a.publicKey, first)).to.equal(true);
    expect(verify('sha256', Buffer.from('two'), a.publicKey, second)).to.equal(true);
  });

  it('rejects a key that cannot sign ECDSA and goes on signing for the others', async () => {
    const rsaPublic = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey;
    const [bad, good] = await Promise.allSettled([signBatched(Buffer.from('x'), rsaPublic), signBatched(Buffer.from('y'), a.privateKey)]);
    expect(bad.status).to.equal('rejected');
    expect(String((bad as PromiseRejectedResult).reason)).to.match(/signing failed/);
    expect(good.status).to.equal('fulfilled');
    expect(verify('sha256', Buffer.from('y'), a.publicKey, (good as PromiseFulfilledResult<Buffer>).value)).to.equal(true);
  });

  it('keeps no process alive once it is idle', () => {
    const module = path.join(__dirname, '../../gateway-api/src/ledger/sign-batched.js');
    const script = `const { generateKeyPairSync } = require('node:crypto'); const { signBatched } = require(${JSON.stringify(module)});
      signBatched(Buffer.from('x'), generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey).then((s) => console.log('signed', s.length));`;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 15_000 });
    expect(r.stdout).to.match(/^signed \d+/);
    expect(r.status, r.stderr).to.equal(0);
  });
});
