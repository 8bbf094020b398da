/**
 * One process per data folder. A consumer's folder holds the state it
 * alone may change (its SQLite, its stored offsets, its outbox): a second
 * process running the same consumer on the same folder (twice
 * `deno task consumer:orders`, or that and a web server running it as a
 * Worker) would relay the same outbox and race on the offsets. The first
 * holds an exclusive lock on `<folder>/consumer.lock` until it ends (the
 * OS drops it even after SIGKILL); the second is refused with a message
 * naming the holder.
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

/** Takes the folder's lock or throws FolderLockedError. */
export function lockFolder(folder: string, label: string): FolderLock {
  const path = `${folder}/consumer.lock`;
  const file = Deno.openSync(path, { read: true, write: true, create: true });
  if (!file.tryLockSync(true)) {
    const holder = new TextDecoder().decode(Deno.readFileSync(path)).trim() || "unknown";
    file.close();
    throw new FolderLockedError(folder, holder);
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
