import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import Ajv2020 from 'ajv8/dist/2020';
import { tx } from '../../chaincode/src/catalogue';
import { submit } from '../../gateway-api/src/ledger/calls';
import { ProofBundle, proofBundleJsonSchema } from '../../gateway-api/src/verify/bundle';
import { CheckOutcome, PROOF_CHECKS, ProofCheck, verifyProof } from '../../gateway-api/src/verify/checks';
import { fingerprintOf } from '../../gateway-api/src/verify/crypto';
import { FENGXIAN, HUIXIAN, LIANGDANG } from '../support/ledger-fixture';
import { openProofWorld, ProofWorld } from '../support/proof-world';

const SCHEMA_FILE = path.join(__dirname, '../../../docs/proof-bundle.schema.json');

const failedChecks = (outcomes: readonly CheckOutcome[]): ProofCheck[] => outcomes.filter((o) => !o.ok).map((o) => o.check);
const copy = (b: ProofBundle): ProofBundle => JSON.parse(JSON.stringify(b)) as ProofBundle;

/** One character of a base64 string (or of PEM's base64 body) replaced by another base64 character at `at` (from the middle by default). */
function flipBase64(text: string, at = Math.floor(text.length / 2)): string {
  let i = at;
  while (!/[A-Za-z0-9]/.test(text[i] as string)) i++;
  const c = text[i] as string;
  return text.slice(0, i) + (c === 'A' ? 'B' : 'A') + text.slice(i + 1);
}
const flipHex = (hex: string) => (hex[0] === '0' ? '1' : '0') + hex.slice(1);
/** Replaces the first occurrence of `find` in base64-encoded bytes and re-encodes them. */
function editRaw(raw: string, find: string, replace: string): string {
  const text = Buffer.from(raw, 'base64').toString('utf8');
  expect(text, `raw holds ${find}`).to.include(find);
  return Buffer.from(text.replace(find, replace)).toString('base64');
}

describe('proof bundle: GET /evidence/{sha256}/proof and the offline checks', () => {
  let w: ProofWorld;
  let bundle: ProofBundle;
  before(async () => {
    w = await openProofWorld();
    const res = await w.proof(w.keys.auditor);
    expect(res.statusCode, res.body).to.equal(200);
    bundle = res.json() as ProofBundle;
  });
  after(async () => w?.f.close());

  it('answers the documented format: the record, the transaction and block as recorded, two endorsements, the orderer signature and the CAs', async () => {
    expect(bundle).to.include({ format: 'county-ledger-proof/1', ledger: 'embedded', channel: 'countyledger', chaincode: 'countyledger', issuedBy: FENGXIAN });
    expect(bundle.evidence).to.include({ sha256: w.sha256, mediaType: 'application/pdf', txId: bundle.transaction.txId });
    expect(bundle.recordKey).to.equal(`\u0000evidence\u0000${w.sha256}\u0000`);
    expect(bundle.transaction.creator.mspId).to.equal(LIANGDANG);
    expect(bundle.transaction.endorsements.map((e) => e.mspId)).to.deep.equal([LIANGDANG, HUIXIAN]);
    expect(bundle.block.signatures.map((s) => s.mspId)).to.deep.equal(['LiangdangOrdererMSP']);
    expect(bundle.block.chainHeight).to.equal(await w.f.ledger.ledger.height());
    expect(bundle.trust.counties.map((c) => c.mspId)).to.deep.equal([
      LIANGDANG,
      HUIXIAN,
      FENGXIAN,
      'LiangdangOrdererMSP',
      'HuixianOrdererMSP',
      'FengxianOrdererMSP',
    ]);
    for (const c of bundle.trust.counties) expect(c.sha256).to.equal(fingerprintOf(c.caCertificate));
    expect(bundle.trust.endorsementPolicy).to.deep.equal({ rule: 'MAJORITY', organisations: [FENGXIAN, HUIXIAN, LIANGDANG] });
    expect(bundle.trust.revocations).to.deep.equal([]);
    // The transaction is the block's, byte for byte.
    const block = JSON.parse(Buffer.from(bundle.block.raw, 'base64').toString('utf8'));
    expect(block.data[bundle.transaction.index].txId).to.equal(bundle.transaction.txId);
  });

  it('validates against docs/proof-bundle.schema.json, which is the schema the code generates', () => {
    const documented = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8'));
    expect(documented, 'docs/proof-bundle.schema.json is out of date: npm run docs:proof-schema').to.deep.equal(proofBundleJsonSchema());
    const ajv = new Ajv2020({ strict: true, allErrors: true });
    const validate = ajv.compile(documented);
    expect(validate(bundle), ajv.errorsText(validate.errors)).to.equal(true);
    // Not blind: a bundle without its block, or with an unknown field, does not validate.
    const { block: _block, ...noBlock } = bundle;
    expect(validate(noBlock)).to.equal(false);
    expect(validate({ ...bundle, extra: 1 })).to.equal(false);
  });

  it('passes every check, with the file and without it', async () => {
    const withFile = await verifyProof(bundle, w.file);
    expect(withFile.map((o) => o.check)).to.deep.equal([...PROOF_CHECKS]);
    expect(failedChecks(withFile), JSON.stringify(withFile, null, 2)).to.deep.equal([]);
    const without = await verifyProof(bundle);
    expect(without.map((o) => o.check)).to.deep.equal(PROOF_CHECKS.filter((c) => !c.startsWith('file ')));
    expect(failedChecks(without)).to.deep.equal([]);
  });

  describe('one byte changed: exactly the matching checks fail', () => {
    const cases: Array<[string, (b: ProofBundle) => void, ProofCheck[]]> = [
      ['evidence.description', (b) => (b.evidence.description = `${String(b.evidence.description)}!`), ['record in write set']],
      [
        'evidence.sm3 (with the file: its SM3 no longer matches either)',
        (b) => (b.evidence.sm3 = flipHex(b.evidence.sm3)),
        ['file sm3', 'record in write set'],
      ],
      ['evidence.txId', (b) => (b.evidence.txId = flipHex(b.evidence.txId)), ['record in write set']],
      ['recordKey', (b) => (b.recordKey = b.recordKey.replace('evidence', 'evidencf')), ['record in write set']],
      ['transaction.write.value', (b) => (b.transaction.write.value = flipBase64(b.transaction.write.value)), ['record in write set']],
      ['transaction.txId', (b) => (b.transaction.txId = flipHex(b.transaction.txId)), ['transaction in block']],
      ['transaction.index', (b) => (b.transaction.index += 1), ['transaction in block']],
      ['transaction.validationCode', (b) => (b.transaction.validationCode = 'MVCC_READ_CONFLICT'), ['transaction in block']],
      [
        'transaction.raw: the response payload',
        (b) => (b.transaction.raw = editRaw(b.transaction.raw, '"response":{"payload":"ey', '"response":{"payload":"ez')),
        ['transaction in block', 'endorsement signatures'],
      ],
      [
        'transaction.raw: the proposal (its arguments)',
        (b) => (b.transaction.raw = editRaw(b.transaction.raw, '"args":["{', '"args":["{ ')),
        ['transaction in block', 'creator signature', 'endorsement signatures'],
      ],
      ['transaction.signature', (b) => (b.transaction.signature = flipBase64(b.transaction.signature)), ['creator signature']],
      ['transaction.creator.certificate', (b) => (b.transaction.creator.certificate = flipBase64(b.transaction.creator.certificate)), ['creator signature']],
      [
        'transaction.endorsements[1].signature',
        (b) =>
          ((b.transaction.endorsements[1] as { signature: string }).signature = flipBase64((b.transaction.endorsements[1] as { signature: string }).signature)),
        ['endorsement signatures'],
      ],
      ['block.number', (b) => (b.block.number += 1), ['block header']],
      ['block.header.dataHash', (b) => (b.block.header.dataHash = flipHex(b.block.header.dataHash)), ['block header']],
      ['block.headerHash', (b) => (b.block.headerHash = flipHex(b.block.headerHash)), ['block header']],
      [
        'block.raw: a transaction in the block',
        (b) => (b.block.raw = editRaw(b.block.raw, '"response":{"payload":"ey', '"response":{"payload":"ez')),
        ['transaction in block'],
      ],
      [
        "block.raw: the orderer's signature",
        (b) => {
          const sig = (b.block.signatures[0] as { signature: string }).signature;
          b.block.raw = editRaw(b.block.raw, sig, flipBase64(sig));
        },
        ['block signatures'],
      ],
      [
        "block.raw: the header's data hash",
        (b) => (b.block.raw = editRaw(b.block.raw, `"dataHash":"${b.block.header.dataHash}"`, `"dataHash":"${flipHex(b.block.header.dataHash)}"`)),
        ['transaction in block', 'block header', 'block signatures'],
      ],
      [
        'block.signatures[0].signature',
        (b) => ((b.block.signatures[0] as { signature: string }).signature = flipBase64((b.block.signatures[0] as { signature: string }).signature)),
        ['block signatures'],
      ],
      [
        "trust: Huixian's CA certificate",
        (b) => {
          const ca = b.trust.counties.find((c) => c.mspId === HUIXIAN) as { caCertificate: string };
          ca.caCertificate = flipBase64(ca.caCertificate);
        },
        ['certificates chain to county CAs'],
      ],
      [
        "trust: Liangdang's CA fingerprint",
        (b) => {
          const ca = b.trust.counties.find((c) => c.mspId === LIANGDANG) as { sha256: string };
          ca.sha256 = flipHex(ca.sha256);
        },
        ['certificates chain to county CAs'],
      ],
      [
        "trust: the ordering organisation's CA fingerprint",
        (b) => {
          const ca = b.trust.counties.find((c) => c.mspId === 'LiangdangOrdererMSP') as { sha256: string };
          ca.sha256 = flipHex(ca.sha256);
        },
        ['block signatures'],
      ],
      ['trust: a fourth county in the policy', (b) => b.trust.endorsementPolicy.organisations.push('GuixiMSP'), ['endorsement policy']],
      [
        "trust: a revocation of the creator's certificate in the transaction's block",
        (b) =>
          b.trust.revocations.push({
            mspId: LIANGDANG,
            sha256: fingerprintOf(b.transaction.creator.certificate) as string,
            block: b.block.number,
            txId: 'f'.repeat(64),
          }),
        ['not revoked'],
      ],
    ];
    for (const [part, change, expected] of cases) {
      it(part, async () => {
        const changed = copy(bundle);
        change(changed);
        const outcomes = await verifyProof(changed, w.file);
        expect(failedChecks(outcomes), JSON.stringify(outcomes.filter((o) => !o.ok))).to.deep.equal(expected);
      });
    }

    it('the file', async () => {
      const changed = Buffer.from(w.file);
      changed[12] = (changed[12] as number) ^ 1;
      expect(failedChecks(await verifyProof(bundle, changed))).to.deep.equal(['file sha256', 'file sm3']);
    });

    it('the format: every check fails', async () => {
      const outcomes = await verifyProof({ ...copy(bundle), format: 'county-ledger-proof/2' }, w.file);
      expect(failedChecks(outcomes)).to.deep.equal([...PROOF_CHECKS]);
    });
  });

  it('lists a signer revoked after the transaction, and passes it; revoked in or before its block would fail', async () => {
    const r = await w.anchor(Buffer.from('a second report'));
    expect(r.statusCode, r.body).to.equal(201);
    const sha = r.json().result.sha256 as string;
    const admin = await w.f.ledger.identity(LIANGDANG, 'admin');
    const creator = w.f.ledger.wallet.ledgerIdentity(LIANGDANG, 'merchant1');
    const revoked = await submit(w.f.ledger.ledger, admin, tx.membership.revokeCertificate, {
      member: 'merchant1',
      certificate: creator.certificate,
      reason: 'key lost',
    });
    const res = await w.proof(w.keys.auditor, sha);
    expect(res.statusCode, res.body).to.equal(200);
    const later = res.json() as ProofBundle;
    expect(later.trust.revocations).to.deep.equal([
      { mspId: LIANGDANG, sha256: fingerprintOf(creator.certificate), block: revoked.blockNumber, txId: revoked.txId },
    ]);
    expect(revoked.blockNumber).to.be.greaterThan(later.block.number);
    const outcomes = await verifyProof(later);
    expect(failedChecks(outcomes)).to.deep.equal([]);
    expect(outcomes.find((o) => o.check === 'not revoked')?.detail).to.match(/1 revoked later/);
  });
});

describe('proof bundle route: who may call it, bad input, over the ledger thread', () => {
  let w: ProofWorld;
  before(async () => {
    w = await openProofWorld({ overMessagePort: true });
  });
  after(async () => w?.f.close());

  it('answers those who may read the record: the submitter and an auditor; the bundle verifies through the ledger thread too', async () => {
    for (const key of [w.keys.merchant, w.keys.auditor]) {
      const res = await w.proof(key);
      expect(res.statusCode, res.body).to.equal(200);
      expect(res.headers['content-disposition']).to.equal(`attachment; filename="proof-${w.sha256}.json"`);
      expect(failedChecks(await verifyProof(res.json(), w.file))).to.deep.equal([]);
    }
  });

  it('refuses a merchant of another county (need to know) and a member without a role with 403, without a key 401, writing nothing', async () => {
    const height = await w.f.ledger.ledger.height();
    for (const key of [w.keys.otherMerchant, w.keys.noRole]) {
      const res = await w.proof(key);
      expect(res.statusCode, res.body).to.equal(403);
      expect(res.headers['content-type']).to.match(/^application\/problem\+json/);
      expect(res.json().code).to.equal('FORBIDDEN');
    }
    const anonymous = await w.proof(undefined);
    expect(anonymous.statusCode).to.equal(401);
    expect(anonymous.json().code).to.equal('UNAUTHENTICATED');
    expect(await w.f.ledger.ledger.height()).to.equal(height);
  });

  it('answers 404 problem+json for a digest that is not anchored, and 400 for one that is no SHA-256', async () => {
    const missing = await w.proof(w.keys.auditor, 'a'.repeat(64));
    expect(missing.statusCode).to.equal(404);
    expect(missing.headers['content-type']).to.match(/^application\/problem\+json/);
    expect(missing.json().code).to.equal('NOT_FOUND');
    for (const bad of ['abc', 'A'.repeat(64), `${'a'.repeat(63)}g`]) {
      const res = await w.proof(w.keys.auditor, bad);
      expect(res.statusCode, bad).to.equal(400);
      expect(res.json().code).to.equal('INVALID_ARGUMENT');
    }
  });
});
