/**
 * One process per data folder. A consumer's folder holds the state it
 * alone may change (its SQLite, its stored offsets, its outbox): a second
 * process running the same consumer on the same folder (twice
 * `deno task consumer:orders`, or that and a web server running it as a
 * Worker) would relay the same outbox and race on the offsets. The first
 * holds an exclusive lock on `<folder>/consumer.lock` until it ends (the
 * OS drops it even after SIGKILL); the second is refused with a message
 * naming the holder.
 *
 * A holder that is ending (a Worker just terminated, a process finishing
 * its stop while a supervisor starts the next) lets go a few milliseconds
 * to seconds later: `waitForFolderLock` gives it that grace before refusing.
 */

/** Another process holds the folder. */
export class FolderLockedError extends Error {
  constructor(readonly folder: string, readonly holder: string) {
    super(
      `${folder} is in use by another process (${holder}): a service's data folder belongs to ` +
        "one process at a time. Stop that one, or give this one its own folder (DATA_DIR, " +
        "DOCTOR_NAME, PAYMENTS_INSTANCE).",
    );
    this.name = "FolderLockedError";
  }
}

/** A held lock; `release()` lets another process take the folder. */
export interface FolderLock {
  release(): void;
}

/** How long `waitForFolderLock` lets a holder that is ending let go. */
export const FOLDER_LOCK_GRACE_MS = 5_000;

/** Takes the folder's lock or throws FolderLockedError. */
export function lockFolder(folder: string, label: string): FolderLock {
  const path = `${folder}/consumer.lock`;
  const file = Deno.openSync(path, { read: true, write: true, create: true });
  if (!file.tryLockSync(true)) {
    file.close();
    throw new FolderLockedError(folder, lockHolder(path));
  }
  const text = `${label}, pid ${Deno.pid}, since ${new Date().toISOString()}`;
  file.truncateSync(0);
  file.writeSync(new TextEncoder().encode(text));
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      try {
        file.unlockSync();
      } finally {
        file.close();
      }
    },
  };
}

/**
 * Takes the folder's lock, asking again every 50 ms while another holds it,
 * for at most `graceMs`; then throws FolderLockedError. `onWait` is told
 * once who holds it.
 */
export async function waitForFolderLock(
  folder: string,
  label: string,
  options: { graceMs?: number; onWait?: (holder: string) => void } = {},
): Promise<FolderLock> {
  const deadline = Date.now() + (options.graceMs ?? FOLDER_LOCK_GRACE_MS);
  let told = false;
  for (;;) {
    try {
      return lockFolder(folder, label);
    } catch (error) {
      if (!(error instanceof FolderLockedError) || Date.now() >= deadline) throw error;
      if (!told) options.onWait?.(error.holder);
      told = true;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function lockHolder(path: string): string {
  return new TextDecoder().decode(Deno.readFileSync(path)).trim() || "unknown";
}
