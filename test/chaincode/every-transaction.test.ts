import { outcome } from '../support/expect-error';
import { tx } from '../../chaincode/src/catalogue';
import { expect } from 'chai';
import { ROLES } from '../../chaincode/src/kernel/schemas';
import { LedgerIdentity } from '../../gateway-api/src/ledger/ledger';
import { json, LedgerFixture, LIANGDANG, openLedgerFixture } from '../support/ledger-fixture';

interface TransactionMetadata {
  readonly name: string;
  readonly tag?: string[];
  readonly parameters?: unknown[];
}

// Every transaction of every contract, as the chaincode's own metadata lists them, so one added later is covered too.
describe('chaincode: every transaction validates its input', () => {
  let f: LedgerFixture;
  let everyRole: LedgerIdentity;
  let transactions: Array<{ contract: string; tx: TransactionMetadata }>;

  before(async () => {
    f = await openLedgerFixture();
    // A member holding every role a member may hold together (all but merchant: segregation of
    // duties), so that no refusal below can come from a role check.
    const admin = await f.identity(LIANGDANG, 'admin');
    everyRole = await f.identity(LIANGDANG, 'every-role');
    for (const role of ROLES.filter((r) => r !== 'merchant'))
      await f.ledger.submit(admin, { name: tx.membership.grantRole.qualifiedName, args: [JSON.stringify({ member: 'every-role', role })] });
    const metadata = json(await f.ledger.evaluate(everyRole, { name: 'org.hyperledger.fabric:GetMetadata', args: [] })) as {
      contracts: Record<string, { transactions: TransactionMetadata[] }>;
    };
    transactions = Object.entries(metadata.contracts)
      .filter(([contract]) => contract !== 'org.hyperledger.fabric')
      .flatMap(([contract, c]) => c.transactions.map((tx) => ({ contract, tx })));
  });
  after(async () => {
    await f?.cleanup();
  });

  /** Submits a SUBMIT-tagged transaction, evaluates any other, as the member holding every role. */
  const run = (contract: string, tx: TransactionMetadata, args: string[]) => {
    const request = { name: `${contract}:${tx.name}`, args };
    return (tx.tag ?? []).includes('SUBMIT') ? f.ledger.submit(everyRole, request) : f.ledger.evaluate(everyRole, request);
  };

  it('the metadata lists the contracts of DESIGN.md with their transactions', () => {
    const contracts = new Set(transactions.map((t) => t.contract));
    expect([...contracts].sort()).to.deep.equal([
      'Cases',
      'Counties',
      'Credit',
      'Evidence',
      'Fund',
      'Ip',
      'Market',
      'Membership',
      'Parameters',
      'Subjects',
      'Tax',
    ]);
    expect(transactions.length).to.be.greaterThan(90);
  });

  it('refuses input that is not the JSON object it takes, or the wrong number of arguments, with INVALID_ARGUMENT and writes nothing', async () => {
    const height = await f.ledger.height();
    const wrong: string[] = [];
    for (const { contract, tx } of transactions) {
      const name = `${contract}:${tx.name}`;
      const call = (args: string[]) => run(contract, tx, args);
      const arity = tx.parameters?.length ?? 0;
      const badInputs: string[][] = arity === 0 ? [['{}'], ['{}', '{}']] : [['not json'], ['[]'], ['"a string"'], ['null'], ['17'], ['{}', '{}'], []];
      for (const args of badInputs) {
        const code = await outcome(call(args));
        if (code !== 'INVALID_ARGUMENT') wrong.push(`${name}(${args.join(', ')}) → ${code}`);
      }
    }
    expect(wrong, 'calls not refused as INVALID_ARGUMENT').to.deep.equal([]);
    expect(await f.ledger.height(), 'a refused submit wrote a block').to.equal(height);
  });

  it('refuses an empty object where the input has required fields, and unknown fields, with INVALID_ARGUMENT', async () => {
    const height = await f.ledger.height();
    const wrong: string[] = [];
    for (const { contract, tx } of transactions.filter((t) => (t.tx.parameters?.length ?? 0) === 1)) {
      const name = `${contract}:${tx.name}`;
      const submits = (tx.tag ?? []).includes('SUBMIT');
      const call = (input: unknown) => run(contract, tx, [JSON.stringify(input)]);
      // Every write needs something to act on; a read may take an empty object (a list with no filters).
      if (submits) {
        const code = await outcome(call({}));
        if (code !== 'INVALID_ARGUMENT') wrong.push(`${name}({}) → ${code}`);
      }
      const code = await outcome(call({ notAField: 1, limit: 5 }));
      if (code !== 'INVALID_ARGUMENT') wrong.push(`${name}({ notAField }) → ${code}`);
    }
    expect(wrong, 'calls not refused as INVALID_ARGUMENT').to.deep.equal([]);
    expect(await f.ledger.height(), 'a refused submit wrote a block').to.equal(height);
  });
});
