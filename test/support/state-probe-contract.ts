import { Context, Contract, Info, Returns, Transaction } from 'fabric-contract-api';
import { defineRecordType, deleteRecord, getRecord, listByIndex, putRecord, scanIndexBounded } from '../../chaincode/src/kernel/state';

/** A test-only record: listed by group (one index entry) and under each of its tags (several entries). */
export interface ProbeItem {
  readonly id: string;
  readonly group: string;
  readonly tags: string[];
  readonly rank: string;
  /** Only live items appear under their tags. */
  readonly live: boolean;
}

export const ProbeItems = defineRecordType<ProbeItem>({
  type: 'probeitem',
  keyArity: 1,
  keyOf: (i) => [i.id],
  indexes: { byGroup: (i) => [i.group] },
  multiIndexes: { byTag: (i) => (i.live ? i.tags.map((t) => [t, i.rank]) : []) },
});

/**
 * A test-only contract that drives the kernel's record helpers (kernel/state.ts) through
 * fabric-shim's real ChaincodeStub on the embedded ledger, so their keys and write sets can be
 * checked as a peer would record them.
 */
@Info({ title: 'StateProbe', description: 'Test-only probe of the kernel record helpers' })
export class StateProbeContract extends Contract {
  constructor() {
    super('StateProbe');
  }

  /** Writes an item (JSON), with the committed item as `previous`. */
  @Transaction()
  async PutItem(ctx: Context, itemJson: string): Promise<void> {
    const item = JSON.parse(itemJson) as ProbeItem;
    await putRecord(ctx, ProbeItems, item, await getRecord(ctx, ProbeItems, [item.id]));
  }

  @Transaction()
  async DeleteItem(ctx: Context, id: string): Promise<void> {
    const item = await getRecord(ctx, ProbeItems, [id]);
    if (item) await deleteRecord(ctx, ProbeItems, item);
  }

  /** Every key of an object type (attributes split), to see the index entries as stored. */
  @Transaction(false)
  @Returns('string')
  async Keys(ctx: Context, objectType: string): Promise<string> {
    const iterator = await ctx.stub.getStateByPartialCompositeKey(objectType, []);
    const keys: string[][] = [];
    try {
      for (let r = await iterator.next(); !r.done; r = await iterator.next()) keys.push(ctx.stub.splitCompositeKey(r.value.key).attributes);
    } finally {
      await iterator.close();
    }
    return JSON.stringify(keys);
  }

  /** One page of listByIndex; `from` is a JSON array or empty for none. */
  @Transaction(false)
  @Returns('string')
  async List(ctx: Context, index: string, partialJson: string, limit: number, cursor: string, fromJson: string): Promise<string> {
    const from = fromJson ? (JSON.parse(fromJson) as string[]) : undefined;
    return JSON.stringify(await listByIndex(ctx, ProbeItems, index, JSON.parse(partialJson) as string[], limit, cursor || undefined, from));
  }

  @Transaction(false)
  @Returns('string')
  async Scan(ctx: Context, index: string, partialJson: string, max: number): Promise<string> {
    return JSON.stringify(await scanIndexBounded(ctx, ProbeItems, index, JSON.parse(partialJson) as string[], max));
  }
}
