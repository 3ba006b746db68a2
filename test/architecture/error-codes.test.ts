import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import ts from 'typescript';
import { ERROR_CODES } from '../../chaincode/src/kernel/errors';
import { API_ERROR_CODES, HTTP_STATUS } from '../../gateway-api/src/errors';
import { REPO_ROOT, sourceFiles } from './source-imports';

const RAISERS = ['chaincode', 'ledger', 'gateway'] as const;
type Raiser = (typeof RAISERS)[number];

interface DocumentedCode {
  readonly code: string;
  readonly status: number;
  readonly raisedBy: readonly string[];
}

/** The rows of the table in docs/errors.md: | `CODE` | HTTP status | raised by | meaning |. */
function documentedCodes(text: string): DocumentedCode[] {
  const rows = text.split('\n').filter((line) => line.startsWith('| `'));
  return rows.map((row) => {
    const m = /^\| `([A-Z_]+)` \| (\d{3}) \| ([a-z, ]+) \| .+ \|$/.exec(row);
    expect(m, `not a row of the form | \`CODE\` | status | raised by | meaning |: ${row}`).to.not.equal(null);
    const [, code, status, raisedBy] = m as RegExpExecArray;
    return { code: code as string, status: Number(status), raisedBy: (raisedBy as string).split(',').map((s) => s.trim()) };
  });
}

/** The string literals an expression can evaluate to: a literal, either branch of a conditional, or a const initialised with one. */
function literalsOf(expr: ts.Expression | undefined, consts: ReadonlyMap<string, ts.Expression>): string[] {
  if (expr === undefined) return [];
  if (ts.isStringLiteral(expr)) return [expr.text];
  if (ts.isParenthesizedExpression(expr) || ts.isAsExpression(expr)) return literalsOf(expr.expression, consts);
  if (ts.isConditionalExpression(expr)) return [...literalsOf(expr.whenTrue, consts), ...literalsOf(expr.whenFalse, consts)];
  if (ts.isIdentifier(expr)) return literalsOf(consts.get(expr.text), consts);
  return [];
}

/**
 * The codes a source text raises by name: `new LedgerError('CODE', …)` (the ledger), `new ApiError('CODE', …)`
 * and `sendProblem(reply, request, 'CODE', …)` (the gateway). A code handed on in a variable from elsewhere
 * (a decoded chaincode error, an error crossing the MessagePort) is not a new one and is not counted.
 */
function raisedCodes(text: string): Record<Exclude<Raiser, 'chaincode'>, Set<string>> {
  const source = ts.createSourceFile('source.ts', text, ts.ScriptTarget.Latest, true);
  const consts = new Map<string, ts.Expression>();
  const calls: Array<{ raiser: 'ledger' | 'gateway'; code: ts.Expression | undefined }> = [];
  const visit = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer) consts.set(node.name.text, node.initializer);
    if (ts.isNewExpression(node) && ts.isIdentifier(node.expression)) {
      if (node.expression.text === 'LedgerError') calls.push({ raiser: 'ledger', code: node.arguments?.[0] });
      if (node.expression.text === 'ApiError') calls.push({ raiser: 'gateway', code: node.arguments?.[0] });
    }
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'sendProblem')
      calls.push({ raiser: 'gateway', code: node.arguments[2] });
    ts.forEachChild(node, visit);
  };
  visit(source);
  const found = { ledger: new Set<string>(), gateway: new Set<string>() };
  for (const call of calls) for (const code of literalsOf(call.code, consts)) found[call.raiser].add(code);
  return found;
}

const sorted = (codes: Iterable<string>): string[] => [...codes].sort();

describe('architecture: docs/errors.md lists exactly the error codes the gateway answers with', () => {
  const documented = documentedCodes(readFileSync(path.join(REPO_ROOT, 'docs/errors.md'), 'utf8'));
  const raisedBy = (raiser: Raiser) => sorted(documented.filter((d) => d.raisedBy.includes(raiser)).map((d) => d.code));

  it('the table has one row for each of API_ERROR_CODES, and no other', () => {
    const codes = documented.map((d) => d.code);
    expect(codes.length, 'a code listed twice').to.equal(new Set(codes).size);
    expect(sorted(codes)).to.deep.equal(sorted(API_ERROR_CODES));
  });

  it("each row's HTTP status is the one the error handler answers with (HTTP_STATUS)", () => {
    const wrong = documented.filter((d) => HTTP_STATUS[d.code as keyof typeof HTTP_STATUS] !== d.status).map((d) => `${d.code}: ${d.status}`);
    expect(wrong).to.deep.equal([]);
  });

  it('"raised by" names only chaincode, ledger or gateway, at least one', () => {
    const wrong = documented
      .filter((d) => d.raisedBy.length === 0 || d.raisedBy.some((r) => !(RAISERS as readonly string[]).includes(r)))
      .map((d) => `${d.code}: ${d.raisedBy.join(', ')}`);
    expect(wrong).to.deep.equal([]);
  });

  it('the codes raised by the chaincode are exactly its own (ERROR_CODES in chaincode/src/kernel/errors.ts)', () => {
    expect(raisedBy('chaincode')).to.deep.equal(sorted(ERROR_CODES));
  });

  it('the codes raised by the ledger and by the gateway are exactly those gateway-api/src raises', () => {
    const found = { ledger: new Set<string>(), gateway: new Set<string>() };
    for (const file of sourceFiles('gateway-api/src', ['.ts'])) {
      const raised = raisedCodes(readFileSync(file, 'utf8'));
      raised.ledger.forEach((c) => found.ledger.add(c));
      raised.gateway.forEach((c) => found.gateway.add(c));
    }
    expect(raisedBy('ledger'), 'codes raised as LedgerError').to.deep.equal(sorted(found.ledger));
    expect(raisedBy('gateway'), 'codes raised as ApiError or sendProblem').to.deep.equal(sorted(found.gateway));
  });

  it('the source scan sees literals, both branches of a conditional and a const, and ignores codes handed on (not blind)', () => {
    const raised = raisedCodes(`
      const code = conflict ? 'MVCC_CONFLICT' : 'INTERNAL';
      throw new LedgerError(code, 'x');
      throw new LedgerError(decoded.code, 'handed on');
      throw new ApiError('RATE_LIMITED', 'y');
      sendProblem(reply, request, 'NOT_FOUND', 'z');
      sendProblem(reply, request, error.code, 'handed on');
    `);
    expect(sorted(raised.ledger)).to.deep.equal(['INTERNAL', 'MVCC_CONFLICT']);
    expect(sorted(raised.gateway)).to.deep.equal(['NOT_FOUND', 'RATE_LIMITED']);
  });
});
