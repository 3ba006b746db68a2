import { expect } from 'chai';
import fc from 'fast-check';
import { buildCreditCode, creditCodeCheckCharacter, creditCodeProblem, divisionOf, isValidCreditCode } from '../../chaincode/src/kernel/credit-code';
import {
  ChaincodeError,
  ERROR_CODES,
  conflict,
  decodeChaincodeError,
  forbidden,
  invalidArgument,
  notFound,
  ruleViolation,
} from '../../chaincode/src/kernel/errors';
import { creditCodeSchema } from '../../chaincode/src/kernel/schemas';
import { addDays, cstDate } from '../../chaincode/src/kernel/time';
import { fromChaincodeMessage } from '../../gateway-api/src/ledger/errors';

const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const VALID = '91350100M000100Y43';

describe('kernel: unified social credit code (GB 32100-2015)', () => {
  it('builds valid codes from authority, category, division and serial (the one builder tests and the demo use)', () => {
    expect(buildCreditCode('91', '350100', 0)).to.have.length(18);
    expect(buildCreditCode('91', '621228', 11)).to.equal(`91621228000000011${creditCodeCheckCharacter('91621228000000011')}`);
    for (const serial of [0, 1, 99, 123456789]) expect(isValidCreditCode(buildCreditCode('11', '610330', serial)), String(serial)).to.equal(true);
    expect(divisionOf(buildCreditCode('91', '621227', 5))).to.equal('621227');
  });

  it('accepts the standard example and reads its division code', () => {
    expect(isValidCreditCode(VALID)).to.equal(true);
    expect(creditCodeProblem(VALID)).to.equal(undefined);
    expect(creditCodeCheckCharacter(VALID.slice(0, 17))).to.equal('3');
    expect(divisionOf(VALID)).to.equal('350100');
    expect(creditCodeSchema.safeParse(VALID).success).to.equal(true);
  });

  it('refuses a wrong check character', () => {
    for (const c of ALPHABET.replace('3', '')) {
      expect(creditCodeProblem(`${VALID.slice(0, 17)}${c}`)).to.equal('check character does not match');
    }
    const parsed = creditCodeSchema.safeParse(`${VALID.slice(0, 17)}4`);
    expect(parsed.success).to.equal(false);
    expect(parsed.error?.issues[0]?.message).to.match(/check character/);
  });

  it('refuses the forbidden letters I, O, S, V, Z and lower case', () => {
    for (const letter of ['I', 'O', 'S', 'V', 'Z', 'a']) {
      const code = `${VALID.slice(0, 8)}${letter}${VALID.slice(9)}`;
      expect(creditCodeProblem(code), code).to.match(/without I, O, S, V, Z/);
      expect(isValidCreditCode(code)).to.equal(false);
    }
    expect(() => creditCodeCheckCharacter('91350100O00010OY4')).to.throw(/outside the code alphabet/);
  });

  it('refuses a wrong length', () => {
    for (const code of ['', VALID.slice(0, 17), `${VALID}0`, VALID.slice(1)]) expect(creditCodeProblem(code)).to.equal('must be 18 characters');
  });

  it('accepts exactly one check character for any 17-character body (property)', () => {
    const body = fc.array(fc.constantFrom(...ALPHABET), { minLength: 17, maxLength: 17 }).map((cs) => cs.join(''));
    fc.assert(
      fc.property(body, fc.constantFrom(...ALPHABET), (first17, check) => {
        const expected = creditCodeCheckCharacter(first17);
        expect(isValidCreditCode(first17 + check)).to.equal(check === expected);
      }),
      { numRuns: 500 },
    );
  });

  it('detects any single changed character (property)', () => {
    const body = fc.array(fc.constantFrom(...ALPHABET), { minLength: 17, maxLength: 17 }).map((cs) => cs.join(''));
    fc.assert(
      fc.property(body, fc.integer({ min: 0, max: 16 }), fc.integer({ min: 1, max: 30 }), (first17, pos, shift) => {
        const code = first17 + creditCodeCheckCharacter(first17);
        const changed = ALPHABET[(ALPHABET.indexOf(code.charAt(pos)) + shift) % 31] as string;
        const tampered = code.slice(0, pos) + changed + code.slice(pos + 1);
        expect(isValidCreditCode(tampered)).to.equal(false);
      }),
      { numRuns: 500 },
    );
  });
});

describe('kernel: time', () => {
  it('gives the China Standard Time calendar date (UTC+8) around midnight', () => {
    expect(cstDate(Date.parse('2024-01-01T15:59:59.999Z'))).to.equal('2024-01-01');
    expect(cstDate(Date.parse('2024-01-01T16:00:00.000Z'))).to.equal('2024-01-02');
    expect(cstDate(Date.parse('2024-12-31T16:00:00.000Z'))).to.equal('2025-01-01');
    expect(cstDate(Date.parse('2024-02-28T23:00:00.000Z'))).to.equal('2024-02-29');
    expect(cstDate(0)).to.equal('1970-01-01');
  });

  it('adds calendar days across month, year and leap-day boundaries', () => {
    expect(addDays('2024-02-28', 1)).to.equal('2024-02-29');
    expect(addDays('2023-02-28', 1)).to.equal('2023-03-01');
    expect(addDays('2024-12-31', 1)).to.equal('2025-01-01');
    expect(addDays('2024-03-01', -1)).to.equal('2024-02-29');
    expect(addDays('2024-05-10', 0)).to.equal('2024-05-10');
    expect(addDays('2024-01-01', 366)).to.equal('2025-01-01');
  });

  it('T+1 from a late-evening UTC timestamp counts from the CST date (property: addDays inverts)', () => {
    // 2024-06-30T17:00Z is already 1 July in China: T+1 is 2 July.
    expect(addDays(cstDate(Date.parse('2024-06-30T17:00:00Z')), 1)).to.equal('2024-07-02');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4_000_000_000_000 }), fc.integer({ min: -1000, max: 1000 }), (ms, days) => {
        const date = cstDate(ms);
        expect(date).to.match(/^\d{4}-\d{2}-\d{2}$/);
        expect(addDays(addDays(date, days), -days)).to.equal(date);
        expect(cstDate(ms + days * 86_400_000)).to.equal(addDays(date, days));
      }),
      { numRuns: 300 },
    );
  });
});

describe('kernel: errors', () => {
  it('encodes the code in the message and decodes it back (round trip)', () => {
    for (const make of [invalidArgument, notFound, forbidden, conflict, ruleViolation]) {
      const err = make('something about asset a-1');
      expect(err).to.be.instanceOf(ChaincodeError);
      expect(decodeChaincodeError(err.message)).to.deep.equal({ code: err.code, detail: 'something about asset a-1' });
    }
  });

  it('finds the encoded error inside the text Fabric wraps around it, keeping multi-line details', () => {
    const err = conflict('line one\nline two');
    const wrapped = `error in simulation: transaction returned with failure: ${err.message}`;
    expect(decodeChaincodeError(wrapped)).to.deep.equal({ code: 'CONFLICT', detail: 'line one\nline two' });
    const e = fromChaincodeMessage(wrapped, { transactionId: 'tx1' });
    expect(e.code).to.equal('CONFLICT');
    expect(e.message).to.equal('line one\nline two');
    expect(e.transactionId).to.equal('tx1');
  });

  it('round-trips any code and detail (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ERROR_CODES), fc.string({ maxLength: 200 }), fc.string({ maxLength: 40 }), (code, detail, wrapper) => {
        fc.pre(!wrapper.includes('county-ledger:'));
        const err = new ChaincodeError(code, detail);
        expect(decodeChaincodeError(`${wrapper}${err.message}`)).to.deep.equal({ code, detail: detail.trim() });
      }),
      { numRuns: 500 },
    );
  });

  it('does not invent a code for messages without one, or with an unknown code', () => {
    expect(decodeChaincodeError('TypeError: x is undefined')).to.equal(undefined);
    expect(decodeChaincodeError('county-ledger:SOMETHING_ELSE: nope')).to.equal(undefined);
    expect(fromChaincodeMessage('TypeError: x is undefined').code).to.equal('INTERNAL');
    expect(fromChaincodeMessage('Expected 1 parameters, but 0 have been supplied').code).to.equal('INVALID_ARGUMENT');
  });
});
