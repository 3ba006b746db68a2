import { expect } from 'chai';
import { API_ERROR_CODES } from '../../gateway-api/src/errors';
import { AREAS } from '../../gateway-api/console/src/i18n/areas';
import { CONSOLE_ONLY_CODES, commonMessages } from '../../gateway-api/console/src/i18n/common';

/** Every key path of a message tree ("errors.FORBIDDEN"). */
function keysOf(tree: unknown, prefix = ''): string[] {
  if (typeof tree !== 'object' || tree === null) return [prefix];
  return Object.entries(tree).flatMap(([k, v]) => keysOf(v, prefix ? `${prefix}.${k}` : k));
}

describe('console: messages', () => {
  it('names every problem code the gateway answers, in Chinese and English, and no other', () => {
    const words = ['title', 'correlation'];
    for (const lang of ['zh', 'en'] as const) {
      const codes = Object.keys(commonMessages[lang].errors).filter((k) => !words.includes(k));
      expect(codes.sort()).to.deep.equal([...API_ERROR_CODES, ...CONSOLE_ONLY_CODES].sort());
    }
    expect(commonMessages.zh.errors.FORBIDDEN).to.match(/[\u4e00-\u9fff]/);
  });

  it('has the same keys in both languages in every area, and no area reuses another’s namespace', () => {
    const namespaces = new Set<string>();
    for (const [name, area] of Object.entries(AREAS)) {
      expect(keysOf(area.en).sort(), name).to.deep.equal(keysOf(area.zh).sort());
      for (const ns of Object.keys(area.zh)) {
        expect(namespaces.has(ns), `${name} reuses the namespace ${ns}`).to.equal(false);
        namespaces.add(ns);
      }
    }
  });

  it('says it in Chinese first: every Chinese message has Chinese characters or is a code, a name or a number', () => {
    const latinOnly = keysOf(AREAS)
      .filter((k) => k.includes('.zh.'))
      .map((k) => ({ k, v: k.split('.').reduce<unknown>((t, p) => (t as Record<string, unknown>)[p], AREAS) }))
      .filter(({ v }) => typeof v === 'string' && /[a-z]{4,}/.test(v) && !/[\u4e00-\u9fff]/.test(v));
    expect(latinOnly.map((x) => x.k)).to.deep.equal(['commonMessages.zh.language.en']);
  });
});
