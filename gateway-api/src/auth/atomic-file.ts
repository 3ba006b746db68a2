import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import path from 'node:path';

/**
 * Replaces `file` with `content` atomically and durably: the content goes to a temporary file of a
 * name no other save uses, is fsynced, renamed over `file`, and the folder is fsynced so the rename
 * itself survives a crash. A reader sees the old content or the new, never a mix. A failed save
 * removes its temporary file and leaves `file` as it was.
 */
export async function writeFileAtomic(file: string, content: string, mode = 0o600): Promise<void> {
  const tmp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    const handle = await open(tmp, 'wx', mode);
    try {
      await handle.writeFile(content);
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
  await renameDurably(tmp, file);
}

/**
 * Renames a file that is already fsynced (`from`) to `to`, then fsyncs the folder of `to` so the
 * rename itself survives a crash. On failure `from` is removed and `to` is as it was.
 */
export async function renameDurably(from: string, to: string): Promise<void> {
  try {
    await rename(from, to);
  } catch (err) {
    await rm(from, { force: true });
    throw err;
  }
  await syncFolder(path.dirname(to));
}

/** Fsyncs a folder, so the entries just made in it (a rename, a new sub-folder) survive a crash. */
export async function syncFolder(folder: string): Promise<void> {
  const dir = await open(folder, 'r');
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}

/**
 * Saves of one file, one at a time and in order: each save writes the snapshot `render` makes
 * when its turn comes, so a later save never lands before an earlier one and the file always
 * holds the latest state that was saved. A failed save does not stop the saves after it.
 */
export class SerialFile {
  readonly #file: string;
  #last: Promise<unknown> = Promise.resolve();

  constructor(file: string) {
    this.#file = file;
  }

  save(render: () => string): Promise<void> {
    const next = this.#last.catch(() => undefined).then(() => writeFileAtomic(this.#file, render()));
    this.#last = next;
    return next;
  }
}
