import { expect } from 'chai';
import { LedgerError, LedgerErrorCode } from '../../gateway-api/src/ledger/errors';

/** Awaits a promise that must reject with a LedgerError of the given code; returns the error. */
export async function expectLedgerError(promise: Promise<unknown>, code: LedgerErrorCode, message?: RegExp): Promise<LedgerError> {
  let outcome: unknown;
  try {
    outcome = await promise;
  } catch (err) {
    expect(err, `expected a LedgerError ${code}, got ${String(err)}`).to.be.instanceOf(LedgerError);
    const e = err as LedgerError;
    expect(e.code, `${e.code}: ${e.message}`).to.equal(code);
    if (message) expect(e.message).to.match(message);
    return e;
  }
  expect.fail(`expected a ${code} LedgerError, but the call succeeded with ${String(outcome)}`);
}

/** What a call ended with: the ledger error code, or OK (any other error is rethrown). */
export async function outcome(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return 'OK';
  } catch (err) {
    if (err instanceof LedgerError) return err.code;
    throw err;
  }
}

/** Runs a function that must throw synchronously and returns what it threw. */
export function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  expect.fail('expected the call to throw');
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Lets every queued microtask and I/O callback run once. */
export const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
