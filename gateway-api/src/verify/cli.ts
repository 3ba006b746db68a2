#!/usr/bin/env node
/**
 * county-ledger-verify: checks County Ledger proofs with no network and no gateway to trust.
 *
 *   county-ledger-verify proof <bundle.json> [file]
 *       Checks a proof bundle (GET /evidence/{sha256}/proof) and, given the file, its digests.
 *   county-ledger-verify chain <export.jsonl>
 *   county-ledger-verify chain --gateway <url> --key-file <file>    (or --key <api key>)
 *       Audits a whole chain export (GET /audit/ledger/export): hash links, data hashes, block,
 *       creator and endorsement signatures against the CA certificates and the endorsement policy.
 *
 * Prints one line per check and exits 0 when every check passes, 1 when one fails, 2 when it
 * could not check (bad usage, unreadable input).
 */
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { ChainTrust } from './bundle';
import { auditBlocks, trustProblem } from './chain-audit';
import { linesOf, readChainExport } from './chain-export';
import { formatOutcomes, verifyProof } from './checks';
import { decoderOf } from './decoders';

const USAGE = `usage:
  county-ledger-verify proof <bundle.json> [file]
  county-ledger-verify chain <export.jsonl>
  county-ledger-verify chain --gateway <url> --key-file <file with an auditor's API key>   (or --key <api key>)
`;

class UsageError extends Error {}

const out = (line: string) => process.stdout.write(`${line}\n`);

function printTrust(trust: ChainTrust): void {
  out("  roots of trust (compare the fingerprints with the counties' published CA certificates):");
  for (const root of trust.counties) out(`    ${root.mspId.padEnd(22)} sha256 ${root.sha256}`);
  out(`  endorsement policy: ${trust.endorsementPolicy.rule} of ${trust.endorsementPolicy.organisations.join(', ')}`);
}

async function proof(args: string[]): Promise<number> {
  const [bundleFile, file, ...extra] = args;
  if (!bundleFile || extra.length > 0) throw new UsageError('proof takes a bundle and, optionally, the file');
  let bundle: unknown;
  try {
    bundle = JSON.parse(await readFile(bundleFile, 'utf8'));
  } catch (err) {
    throw new Error(`${bundleFile}: ${(err as Error).message}`, { cause: err });
  }
  const content = file === undefined ? undefined : await readFile(file);
  const b = bundle as {
    ledger?: string;
    channel?: string;
    evidence?: { sha256?: string };
    transaction?: { txId?: string };
    block?: { number?: number };
    trust?: ChainTrust;
  };
  out(`County Ledger proof bundle: ${b.ledger ?? '?'} ledger, channel ${b.channel ?? '?'}`);
  out(`  evidence ${b.evidence?.sha256 ?? '?'}, transaction ${b.transaction?.txId ?? '?'}, block ${b.block?.number ?? '?'}`);
  if (b.trust?.counties && b.trust.endorsementPolicy) printTrust(b.trust);
  if (content) out(`  file ${file} (${content.length} bytes)`);
  out('');
  const outcomes = await verifyProof(bundle, content);
  out(formatOutcomes(outcomes));
  const failed = outcomes.filter((o) => !o.ok).length;
  out('');
  out(failed === 0 ? `verified: all ${outcomes.length} checks passed` : `NOT verified: ${failed} of ${outcomes.length} checks failed`);
  return failed === 0 ? 0 : 1;
}

async function chain(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { gateway: { type: 'string' }, key: { type: 'string' }, 'key-file': { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  let chunks: AsyncIterable<string | Uint8Array>;
  let from: string;
  if (values.gateway !== undefined) {
    if (positionals.length > 0) throw new UsageError('chain takes an export file or --gateway, not both');
    // A key file keeps the key out of the process list and the shell history.
    const key = values['key-file'] !== undefined ? (await readFile(values['key-file'], 'utf8')).trim() : values.key;
    if (!key) throw new UsageError("an auditor's API key is needed: --key-file or --key");
    const url = new URL(values.gateway);
    if (url.pathname === '/' || url.pathname === '') url.pathname = '/api/v1/audit/ledger/export';
    from = url.toString();
    const res = await fetch(url, { headers: { authorization: `Bearer ${key}` } });
    if (!res.ok || !res.body) throw new Error(`${from} answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
    chunks = res.body as unknown as AsyncIterable<Uint8Array>;
  } else {
    const [file, ...extra] = positionals;
    if (!file || extra.length > 0) throw new UsageError('chain takes one export file');
    from = file;
    chunks = createReadStream(file);
  }
  const { header, source } = await readChainExport(linesOf(chunks));
  out(`County Ledger chain export: ${header.ledger} ledger, height ${header.height}, from ${from}`);
  printTrust(header.trust);
  out('');
  const started = Date.now();
  const bad = trustProblem(header.trust);
  if (bad) {
    out(`FAILED  chain  ${bad}`);
    return 1;
  }
  const result = await auditBlocks(source, decoderOf(header.ledger), {
    trust: header.trust,
    onProgress: (blocks, height, txs) =>
      process.stderr.write(`  checked ${blocks} of ${height} blocks, ${txs} transactions, ${((Date.now() - started) / 1000).toFixed(1)} s\n`),
  });
  const seconds = (Date.now() - started) / 1000;
  const rate = seconds > 0 ? Math.round(result.transactionsChecked / seconds) : result.transactionsChecked;
  if (result.ok) {
    out(
      `ok      chain  ${result.blocksChecked} blocks, ${result.transactionsChecked} transactions: hash links, data hashes, block signatures, creator and endorsement signatures, certificates and endorsement policy (${seconds.toFixed(1)} s, ${rate} tx/s)`,
    );
    return 0;
  }
  out(`FAILED  chain  block ${result.firstBrokenBlock}${result.firstBadTransaction ? `, transaction ${result.firstBadTransaction}` : ''}: ${result.problem}`);
  out(`        (${result.blocksChecked} blocks before it passed, ${result.transactionsChecked} transactions)`);
  return 1;
}

async function main(): Promise<number> {
  const [command, ...args] = process.argv.slice(2);
  if (command === 'proof') return proof(args);
  if (command === 'chain') return chain(args);
  if (command === undefined || command === '--help' || command === '-h') {
    process.stdout.write(USAGE);
    return command === undefined ? 2 : 0;
  }
  throw new UsageError(`unknown command ${command}`);
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`county-ledger-verify: ${err instanceof Error ? err.message : String(err)}\n${err instanceof UsageError ? USAGE : ''}`);
    process.exitCode = 2;
  },
);
