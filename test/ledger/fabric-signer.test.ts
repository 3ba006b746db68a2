import { expect } from 'chai';
import { generateKeyPairSync, sign as signSync, verify } from 'node:crypto';
import { lowS, nodeCryptoSigner } from '../../gateway-api/src/ledger/fabric/signer';

const HALF_N = BigInt('0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551') >> 1n;

/** The s value of a DER ECDSA signature. */
function sOf(der: Uint8Array): bigint {
  const buf = Buffer.from(der);
  const rLen = buf[3] as number;
  const sStart = 4 + rLen;
  const sLen = buf[sStart + 1] as number;
  return BigInt(`0x${buf.subarray(sStart + 2, sStart + 2 + sLen).toString('hex')}`);
}

// Fabric peers reject ECDSA signatures whose s is above n/2; the gateway's node:crypto signer must never produce one.
describe('Fabric ledger: node:crypto signer', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });

  it('signs on the signing thread with SHA-256, always low S, and the signature verifies', async () => {
    const sign = nodeCryptoSigner(privateKey);
    const messages = Array.from({ length: 64 }, (_, i) => Buffer.from(`proposal ${i}`));
    const signatures = await Promise.all(messages.map((m) => sign(m)));
    signatures.forEach((sig, i) => {
      expect(sOf(sig) <= HALF_N, `signature ${i} is high S`).to.equal(true);
      expect(verify('sha256', messages[i] as Buffer, publicKey, sig)).to.equal(true);
      expect(verify('sha256', Buffer.from('another message'), publicKey, sig)).to.equal(false);
    });
  });

  it('normalises a high-S signature to n - s, which still verifies', () => {
    const n = HALF_N * 2n + 1n;
    const message = Buffer.from('normalise me');
    // Sign until OpenSSL returns a high-S signature (about one in two).
    let high: Buffer | undefined;
    for (let i = 0; i < 200 && !high; i++) {
      const der = signSync('sha256', message, privateKey);
      if (sOf(der) > HALF_N) high = der;
    }
    expect(high, 'no high-S signature in 200 tries').to.not.equal(undefined);
    const normalised = lowS(high as Buffer);
    expect(sOf(normalised)).to.equal(n - sOf(high as Buffer));
    expect(verify('sha256', message, publicKey, normalised)).to.equal(true);
    // A low-S signature is returned unchanged.
    expect(Buffer.from(lowS(Buffer.from(normalised)))).to.deep.equal(Buffer.from(normalised));
  });
});
