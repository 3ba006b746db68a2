import { Context, Contract, Info, Transaction } from 'fabric-contract-api';
import { writeEntry } from '../../chaincode/src/credit/blacklist';
import { BlacklistEntry } from '../../chaincode/src/credit/records';
import { earliestRepairDate } from '../../chaincode/src/credit/rules';
import { DEFAULT_PARAMETERS } from '../../chaincode/src/parameters/parameters';
import { Measure } from '../../chaincode/src/credit/schemas';
import { buildCreditCode } from '../../chaincode/src/kernel/credit-code';
import { addDays, cstDate, txTime } from '../../chaincode/src/kernel/time';

const COUNTIES = ['LiangdangMSP', 'HuixianMSP', 'FengxianMSP'];
const MEASURE_SETS: Measure[][] = [['trading'], ['trading', 'licensing'], ['fund'], ['trading', 'licensing', 'fund']];

/** The bench's subject number `i` as a valid unified social credit code. */
export function benchSubject(i: number): string {
  return buildCreditCode('91', '621228', i);
}

/** The blacklist bench contract's one transaction: seeds entries in bulk, positional arguments. */
export const BLACKLIST_BENCH_SEED = 'BlacklistBench:Seed';

/**
 * Benchmark-only contract: seeds many blacklist entries per transaction through the same
 * writeEntry() the Credit contract uses (entry, subject standing, list index), skipping
 * the role checks and basis events. Never part of the chaincode.
 */
@Info({ title: 'BlacklistBench', description: 'bulk seeding of blacklist entries for benchmarks' })
export class BlacklistBenchContract extends Contract {
  constructor() {
    super('BlacklistBench');
  }

  @Transaction()
  async Seed(ctx: Context, fromText: string, countText: string): Promise<string> {
    const from = Number(fromText);
    const count = Number(countText);
    const time = txTime(ctx);
    const day = cstDate(time.epochMs);
    const txId = ctx.stub.getTxID();
    for (let i = from; i < from + count; i++) {
      const county = COUNTIES[i % COUNTIES.length] as string;
      const entry: BlacklistEntry = {
        id: `bl-bench-${String(i).padStart(8, '0')}`,
        subjectId: benchSubject(i),
        subjectKind: 'enterprise',
        subjectCounty: county,
        reason: 'benchmark entry',
        legalBasis: 'benchmark',
        severity: 'serious',
        measures: MEASURE_SETS[i % MEASURE_SETS.length] as Measure[],
        startDate: day,
        endDate: addDays(day, 30 + (i % 700)),
        repairableFrom: earliestRepairDate(day, 'serious', DEFAULT_PARAMETERS.minPublicationMonths),
        decisionEvidenceRefs: ['doc:bench'],
        basisEventIds: [],
        issuingCounty: county,
        issuedBy: { mspId: county, member: 'bench' },
        issuedAt: time.iso,
        issueTxId: txId,
        status: 'published',
        objectionCount: 0,
        updatedAt: time.iso,
      };
      await writeEntry(ctx, entry, undefined, day);
    }
    return String(count);
  }
}
