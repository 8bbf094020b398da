import assert from "node:assert/strict";
import { FolderLockedError, lockFolder, waitForFolderLock } from "./folder_lock.ts";

Deno.test("folder lock - one holder at a time, named to the second; free again after release", async () => {
  const dir = await Deno.makeTempDir({ prefix: "freshet-lock-" });
  try {
    const first = lockFolder(dir, "consumer orders-service");
    assert.throws(
      () => lockFolder(dir, "consumer orders-service"),
      (error: unknown) =>
        error instanceof FolderLockedError &&
        error.message.includes(`pid ${Deno.pid}`) && error.message.includes(dir),
    );
    first.release();
    lockFolder(dir, "again").release();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("folder lock - a holder that lets go within the grace is waited for, one that does not is named", async () => {
  const dir = await Deno.makeTempDir({ prefix: "freshet-lock-" });
  try {
    const ending = lockFolder(dir, "consumer ending");
    const waited: string[] = [];
    setTimeout(() => ending.release(), 200);
    const next = await waitForFolderLock(dir, "consumer next", {
      graceMs: 5_000,
      onWait: (holder) => waited.push(holder),
    });
    assert.equal(waited.length, 1);
    assert.match(waited[0], /^consumer ending, pid \d+/);
    const started = Date.now();
    await assert.rejects(
      () => waitForFolderLock(dir, "consumer third", { graceMs: 300 }),
      (error: unknown) => error instanceof FolderLockedError && /consumer next/.test(error.message),
    );
    assert.ok(Date.now() - started >= 300, "refused only after the grace");
    next.release();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("folder lock - a terminated Worker's lock is taken by the next holder within the grace", async () => {
  const dir = await Deno.makeTempDir({ prefix: "freshet-lock-" });
  const worker = new Worker(new URL("./folder_lock_fixture.ts", import.meta.url), {
    type: "module",
    deno: { permissions: { read: [dir], write: [dir] } },
  });
  try {
    await new Promise((resolve) => {
      worker.onmessage = resolve;
      worker.postMessage(dir);
    });
    worker.terminate(); // its lock goes with its resources, some milliseconds later
    (await waitForFolderLock(dir, "consumer restarted")).release();
  } finally {
    worker.terminate();
    await Deno.remove(dir, { recursive: true });
  }
});
