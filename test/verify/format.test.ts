import { expect } from 'chai';
import fc from 'fast-check';
import { canonicalJson as chaincodeCanonicalJson } from '../../chaincode/src/kernel/canonical-json';
import { canonicalJson } from '../../gateway-api/src/verify/canonical-json';
import { linesOf } from '../../gateway-api/src/verify/chain-export';
import { majorityOf, policyOutcome, endorsementPolicyOf } from '../../gateway-api/src/verify/policy';

describe('verifier formats: canonical JSON, export lines, the endorsement policy', () => {
  it("writes canonical JSON exactly as the chaincode does (the verifier's own copy)", () => {
    const value = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        fc.constant(null),
        fc.boolean(),
        fc.maxSafeInteger(),
        fc.string({ unit: 'binary' }),
        fc.array(tie('node'), { maxLength: 4 }),
        fc.dictionary(fc.string({ unit: 'binary' }), tie('node'), { maxKeys: 4 }),
      ),
    })).node;
    fc.assert(fc.property(value, (v) => canonicalJson(v) === chaincodeCanonicalJson(v)));
    expect(canonicalJson({ b: [1, { d: null, c: '两当' }], a: true, u: undefined })).to.equal('{"a":true,"b":[1,{"c":"两当","d":null}]}');
    expect(() => canonicalJson({ x: 1.5 })).to.throw(TypeError);
    expect(() => canonicalJson(new Date())).to.throw(TypeError);
  });

  it('splits an export into lines, a character split across chunks decoded whole', async () => {
    const text = Buffer.from('{"a":"两当县"}\n\n{"b":2}\n{"c":3}');
    async function* chunks() {
      for (let i = 0; i < text.length; i += 5) yield text.subarray(i, i + 5);
    }
    const lines: string[] = [];
    for await (const line of linesOf(chunks())) lines.push(line);
    expect(lines).to.deep.equal(['{"a":"两当县"}', '{"b":2}', '{"c":3}']);
  });

  it('MAJORITY means more than half of the distinct county organisations of the policy', () => {
    expect([1, 2, 3, 4, 5].map(majorityOf)).to.deep.equal([1, 2, 2, 3, 3]);
    const policy = endorsementPolicyOf(['LiangdangMSP', 'HuixianMSP', 'FengxianMSP', 'HuixianMSP']);
    expect(policy).to.deep.equal({ rule: 'MAJORITY', organisations: ['FengxianMSP', 'HuixianMSP', 'LiangdangMSP'] });
    expect(policyOutcome(policy, ['HuixianMSP', 'LiangdangMSP']).satisfied).to.equal(true);
    // One county twice, or an organisation outside the policy, does not make a majority.
    expect(policyOutcome(policy, ['HuixianMSP', 'HuixianMSP']).satisfied).to.equal(false);
    expect(policyOutcome(policy, ['HuixianMSP', 'LiangdangOrdererMSP'])).to.deep.equal({ satisfied: false, counted: ['HuixianMSP'], needed: 2 });
    expect(policyOutcome({ ...policy, rule: 'ANY' as 'MAJORITY' }, ['HuixianMSP', 'LiangdangMSP', 'FengxianMSP']).satisfied).to.equal(false);
  });
});
