import 'reflect-metadata';
import { createPrivateKey, KeyObject, sign, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { common, msp } from '@hyperledger/fabric-protos-v3';
import { TrustRoot } from '../../gateway-api/src/verify/bundle';
import { fingerprintOf } from '../../gateway-api/src/verify/crypto';
import { blockDataHash, blockHeaderBytes, blockSignatureBytes } from '../../gateway-api/src/verify/fabric-format';
import { lowS } from '../../gateway-api/src/ledger/fabric/signer';

/**
 * An ordering organisation of the test's own (a CA and an orderer identity), which seals Fabric
 * blocks as an orderer would: what someone holding an orderer's key could make of any envelopes.
 * Its CA is added to the roots of trust, so that the audit looks past the block's signature at
 * the transactions inside.
 */
export interface TestOrderer {
  readonly root: TrustRoot;
  seal(number: number, previousHeaderHash: Buffer, envelopes: readonly Uint8Array[]): Buffer;
}

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);
const EC = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGNING = { name: 'ECDSA', hash: 'SHA-256' } as const;
// Valid long before and after the recorded chain's transactions, whose time the audit checks certificates at.
const NOT_BEFORE = new Date('2020-01-01T00:00:00Z');
const NOT_AFTER = new Date('2040-01-01T00:00:00Z');

/** A CA and an orderer certificate it issued, with the orderer's key. */
async function orderingOrganisation(mspId: string): Promise<{ ca: string; orderer: string; key: KeyObject }> {
  const caKeys = (await webcrypto.subtle.generateKey(EC, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: `C=CN, O=${mspId}, CN=ca.${mspId.toLowerCase()}`,
    notBefore: NOT_BEFORE,
    notAfter: NOT_AFTER,
    signingAlgorithm: SIGNING,
    keys: caKeys as never,
    extensions: [new x509.BasicConstraintsExtension(true, undefined, true), await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey as never)],
  });
  const keys = (await webcrypto.subtle.generateKey(EC, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const orderer = await x509.X509CertificateGenerator.create({
    serialNumber: '02',
    subject: `C=CN, OU=orderer, CN=orderer0.${mspId.toLowerCase()}`,
    issuer: ca.subject,
    notBefore: NOT_BEFORE,
    notAfter: NOT_AFTER,
    signingAlgorithm: SIGNING,
    publicKey: keys.publicKey as never,
    signingKey: caKeys.privateKey as never,
    extensions: [new x509.BasicConstraintsExtension(false, undefined, true), await x509.AuthorityKeyIdentifierExtension.create(ca, false)],
  });
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  return { ca: ca.toString('pem'), orderer: orderer.toString('pem'), key: createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' }) };
}

export async function testOrderer(mspId = 'TestOrdererMSP'): Promise<TestOrderer> {
  const { ca, orderer, key } = await orderingOrganisation(mspId);
  const creator = new msp.SerializedIdentity();
  creator.setMspid(mspId);
  creator.setIdBytes(Buffer.from(orderer));
  return {
    root: { mspId, caCertificate: ca, sha256: fingerprintOf(ca) as string },
    seal(number, previousHeaderHash, envelopes) {
      const header = new common.BlockHeader();
      header.setNumber(number);
      header.setPreviousHash(previousHeaderHash);
      header.setDataHash(blockDataHash(envelopes));
      const data = new common.BlockData();
      data.setDataList([...envelopes]);
      const signatureHeader = new common.SignatureHeader();
      signatureHeader.setCreator(creator.serializeBinary());
      signatureHeader.setNonce(Buffer.alloc(24, 7));
      const signatureHeaderBytes = signatureHeader.serializeBinary();
      const value = Buffer.from('last config 0');
      const signed = blockSignatureBytes(
        value,
        signatureHeaderBytes,
        blockHeaderBytes({ number, previousHash: previousHeaderHash, dataHash: blockDataHash(envelopes) }),
      );
      const signature = new common.MetadataSignature();
      signature.setSignatureHeader(signatureHeaderBytes);
      signature.setSignature(lowS(sign('sha256', signed, key)));
      const signatures = new common.Metadata();
      signatures.setValue(value);
      signatures.setSignaturesList([signature]);
      const metadata = new common.BlockMetadata();
      metadata.setMetadataList([signatures.serializeBinary(), new Uint8Array(), Buffer.alloc(envelopes.length, 0), new Uint8Array(), new Uint8Array()]);
      const block = new common.Block();
      block.setHeader(header);
      block.setData(data);
      block.setMetadata(metadata);
      return Buffer.from(block.serializeBinary());
    },
  };
}
