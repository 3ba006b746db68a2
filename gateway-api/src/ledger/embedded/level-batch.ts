import type { ClassicLevel } from 'classic-level';

/** A put or a delete on a database's own keys (a sublevel's entries as whole prefixed keys). */
export type LevelWrite<K, V> = { readonly type: 'put'; readonly key: K; readonly value: V } | { readonly type: 'del'; readonly key: K };

/**
 * Writes the operations as one atomic LevelDB batch, through abstract-level's chained batch. Its
 * array form copies and checks each operation object again (`{ ...options, ...op }` per entry):
 * 6.7 µs of CPU per put against 1.5 µs for the chained form on the bench machine (385 puts of
 * 120 bytes a batch), a tenth of the ledger thread's time per submit when a block is committed.
 */
export async function writeBatch<K extends string, V>(
  db: ClassicLevel<K, V>,
  writes: Iterable<LevelWrite<K, V>>,
  options: { readonly sync?: boolean } = {},
): Promise<void> {
  const batch = db.batch();
  try {
    for (const w of writes) {
      if (w.type === 'put') batch.put(w.key, w.value);
      else batch.del(w.key);
    }
  } catch (err) {
    // Nothing was written: a chained batch writes only on write(); it must still be closed.
    await batch.close();
    throw err;
  }
  await batch.write({ sync: options.sync === true });
}
