import { createHash } from 'node:crypto';
import { closeSync, existsSync, fdatasync, fdatasyncSync, openSync, readSync, write, writeSync } from 'node:fs';
import path from 'node:path';

/** What was acknowledged last: the height and the last block's header hash. */
export interface ChainHeadRecord {
  readonly height: number;
  readonly lastHash: string;
}

const SLOT_BYTES = 256;
export const CHAIN_HEAD_FILE = 'CHAIN-HEAD';

/**
 * The acknowledged chain head, kept beside LevelDB's files (LevelDB leaves names it did not make
 * alone). LevelDB drops a damaged or truncated tail of its write-ahead log silently on open, and
 * its own chain record goes with it, so only a record outside LevelDB can tell that blocks went
 * missing. Written after each block's batch and before anyone is answered: the store may be one
 * block ahead of it (a crash in between), never behind.
 *
 * Two checksummed slots written in turn with one data sync each: a torn write spoils only the slot
 * being written, and the other still holds the head before it.
 */
export class ChainHead {
  readonly #fd: number;
  #sequence: number;

  private constructor(fd: number, sequence: number) {
    this.#fd = fd;
    this.#sequence = sequence;
  }

  static exists(dir: string): boolean {
    return existsSync(path.join(dir, CHAIN_HEAD_FILE));
  }

  /** Opens (creating when missing) the head file of a ledger folder; answers it and the head it holds, if any. */
  static open(dir: string): { head: ChainHead; recorded: ChainHeadRecord | undefined } {
    const file = path.join(dir, CHAIN_HEAD_FILE);
    const fd = openSync(file, existsSync(file) ? 'r+' : 'w+', 0o600);
    const slots = [0, 1].map((i) => readSlot(fd, i)).filter((s): s is ChainHeadRecord & { sequence: number } => s !== undefined);
    slots.sort((a, b) => b.sequence - a.sequence);
    const newest = slots[0];
    const head = new ChainHead(fd, newest?.sequence ?? 0);
    return { head, recorded: newest ? { height: newest.height, lastHash: newest.lastHash } : undefined };
  }

  /** Records a new head durably (one data sync). */
  write(record: ChainHeadRecord): void {
    const sequence = this.#sequence + 1;
    writeSync(this.#fd, slotOf(record, sequence), 0, SLOT_BYTES, (sequence % 2) * SLOT_BYTES);
    fdatasyncSync(this.#fd);
    this.#sequence = sequence;
  }

  /**
   * The same as write, with the write and the data sync on libuv's pool: the committer records a
   * head after every block, and a synchronous sync held the JavaScript thread for the disk's flush.
   * The caller awaits it before anyone is answered and writes one head at a time.
   */
  async writeAsync(record: ChainHeadRecord): Promise<void> {
    const sequence = this.#sequence + 1;
    const fd = this.#fd;
    await new Promise<void>((resolve, reject) =>
      write(fd, slotOf(record, sequence), 0, SLOT_BYTES, (sequence % 2) * SLOT_BYTES, (err) => (err ? reject(err) : resolve())),
    );
    await new Promise<void>((resolve, reject) => fdatasync(fd, (err) => (err ? reject(err) : resolve())));
    this.#sequence = sequence;
  }

  close(): void {
    closeSync(this.#fd);
  }
}

function slotOf(record: ChainHeadRecord, sequence: number): Buffer {
  const body = JSON.stringify({ height: record.height, lastHash: record.lastHash, sequence });
  const sum = createHash('sha256').update(body).digest('hex');
  const slot = Buffer.alloc(SLOT_BYTES, 0x20);
  slot.write(`${sum} ${body}\n`, 0, 'utf8');
  return slot;
}

function readSlot(fd: number, index: number): (ChainHeadRecord & { sequence: number }) | undefined {
  const slot = Buffer.alloc(SLOT_BYTES);
  const read = readSync(fd, slot, 0, SLOT_BYTES, index * SLOT_BYTES);
  if (read < SLOT_BYTES) return undefined;
  const text = slot.toString('utf8').trimEnd();
  const space = text.indexOf(' ');
  if (space !== 64) return undefined;
  const body = text.slice(65);
  if (createHash('sha256').update(body).digest('hex') !== text.slice(0, 64)) return undefined;
  try {
    const parsed = JSON.parse(body) as { height: unknown; lastHash: unknown; sequence: unknown };
    if (!Number.isSafeInteger(parsed.height) || typeof parsed.lastHash !== 'string' || !Number.isSafeInteger(parsed.sequence)) return undefined;
    return { height: parsed.height as number, lastHash: parsed.lastHash, sequence: parsed.sequence as number };
  } catch {
    return undefined;
  }
}
