import assert from "node:assert/strict";
import { FolderLockedError, lockFolder } from "./folder_lock.ts";

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
