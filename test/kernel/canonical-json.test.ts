import { expect } from 'chai';
import fc from 'fast-check';
import { canonicalJson } from '../../chaincode/src/kernel/canonical-json';
import { ChaincodeError } from '../../chaincode/src/kernel/errors';
import { thrownBy } from '../support/expect-error';

function expectRefused(value: unknown, path?: RegExp): void {
  const err = thrownBy(() => canonicalJson(value));
  expect(err).to.be.instanceOf(ChaincodeError);
  expect((err as ChaincodeError).code).to.equal('INVALID_ARGUMENT');
  if (path) expect((err as ChaincodeError).detail).to.match(path);
}

describe('kernel: canonicalJson', () => {
  it('sorts keys at every depth and writes no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: 'x' } })).to.equal('{"a":{"c":"x","d":[3,{"y":2,"z":1}]},"b":1}');
  });

  it('gives the same bytes whatever order the keys were inserted in', () => {
    expect(canonicalJson({ x: 1, y: 2, z: { q: true, p: null } })).to.equal(canonicalJson({ z: { p: null, q: true }, y: 2, x: 1 }));
  });

  it('keeps array order, drops undefined fields, escapes strings as JSON does', () => {
    expect(canonicalJson([3, 1, 2])).to.equal('[3,1,2]');
    expect(canonicalJson({ a: undefined, b: 'q"\\\n两当' })).to.equal('{"b":"q\\"\\\\\\n两当"}');
    expect(canonicalJson(null)).to.equal('null');
    expect(canonicalJson(false)).to.equal('false');
  });

  it('refuses floating point, NaN, infinities and unsafe integers, naming the path', () => {
    expectRefused({ price: { amount: 1.5 } }, /\$\.price\.amount/);
    expectRefused([0, 0.1], /\$\[1\]/);
    expectRefused(Number.NaN);
    expectRefused(Infinity);
    expectRefused(Number.MAX_SAFE_INTEGER + 1);
  });

  it('refuses values JSON cannot carry faithfully', () => {
    expectRefused(10n);
    expectRefused({ f: () => 1 });
    expectRefused(Symbol('s'));
    expectRefused(undefined);
    expectRefused([undefined]);
  });

  it('refuses objects that are not plain records instead of silently writing {}', () => {
    expectRefused({ when: new Date(0) }, /\$\.when/);
    expectRefused(new Map([['a', 1]]));
    expectRefused(Buffer.from('ab'));
    expect(canonicalJson(Object.assign(Object.create(null), { b: 1, a: 2 }))).to.equal('{"a":2,"b":1}');
  });

  it('round-trips through JSON.parse to an equal value (property)', () => {
    const leaf = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null));
    const tree = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('node'), { maxLength: 4 }), fc.dictionary(fc.string(), tie('node'), { maxKeys: 4 })),
    })).node;
    fc.assert(
      fc.property(tree, (value) => {
        const text = canonicalJson(value);
        expect(JSON.parse(text)).to.deep.equal(value);
        expect(canonicalJson(JSON.parse(text))).to.equal(text);
      }),
      { numRuns: 300 },
    );
  });
});
