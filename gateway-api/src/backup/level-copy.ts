import { ClassicLevel } from 'classic-level';
import { writeBatch } from '../ledger/embedded/level-batch';

/** Entries written per batch while copying. */
const BATCH = 5000;

/**
 * Copies a whole LevelDB database as of one moment into a new database at `targetDir`, while the
 * source keeps serving writes: a LevelDB iterator reads from the snapshot taken when it was made.
 * The copy is synced before this resolves. `onEntry` sees every key (raw, with sublevel prefixes)
 * and value copied; answers how many entries were copied.
 */
export async function copyLevel(
  source: ClassicLevel<string, Buffer> | ClassicLevel<string, string>,
  targetDir: string,
  options: { onEntry?: (key: string, value: Buffer) => void; onProgress?: (entries: number) => void } = {},
): Promise<number> {
  const target = new ClassicLevel<string, Buffer>(targetDir, { keyEncoding: 'utf8', valueEncoding: 'buffer', errorIfExists: true });
  await target.open();
  let copied = 0;
  try {
    const it = (source as ClassicLevel<string, Buffer>).iterator({ keyEncoding: 'utf8', valueEncoding: 'buffer' });
    try {
      for (;;) {
        const entries = (await it.nextv(BATCH)) as Array<[string, Buffer]>;
        if (entries.length === 0) break;
        for (const [k, v] of entries) options.onEntry?.(k, v);
        await writeBatch(
          target,
          entries.map(([key, value]) => ({ type: 'put' as const, key, value })),
        );
        copied += entries.length;
        options.onProgress?.(copied);
      }
    } finally {
      await it.close();
    }
    // One synced write makes everything before it durable.
    await target.put('\u0000backup-synced', Buffer.alloc(0), { sync: true });
    await target.del('\u0000backup-synced', { sync: true });
  } finally {
    await target.close();
  }
  return copied;
}
