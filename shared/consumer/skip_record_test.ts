import assert from "node:assert/strict";
import { openDatabase } from "../sqlite/sqlite.ts";
import { lockFolder } from "./folder_lock.ts";
import { OFFSETS_MIGRATION, offsetStore } from "./offsets.ts";
import { SkipRefusedError, skipStoredRecord, storedOffset } from "./skip_record.ts";

function refused(code: string, pattern = /./) {
  return (e: unknown) =>
    e instanceof SkipRefusedError && e.code === code && pattern.test(e.message);
}

Deno.test("skipStoredRecord - moves the stored offset by one, never while the consumer runs", async (t) => {
  const folder = await Deno.makeTempDir({ prefix: "freshet-skip-" });
  const database = `${folder}/balances.db`;
  const target = { folder, database, topic: "contas", partition: 2 };
  let ran = false;
  const before = () => {
    ran = true;
    return Promise.resolve();
  };
  try {
    await t.step("no database: the consumer never ran here", async () => {
      await assert.rejects(
        () => skipStoredRecord({ ...target, offset: 5 }),
        refused("NO_DATABASE"),
      );
    });
    const db = openDatabase(database, { migrations: [OFFSETS_MIGRATION] });
    offsetStore(db).set("contas", 2, 5);
    db.close();
    await t.step("refused while the folder's lock is held, naming the holder", async () => {
      const lock = lockFolder(folder, "consumer balances");
      try {
        await assert.rejects(
          () => skipStoredRecord({ ...target, offset: 5 }, { before }),
          refused("CONSUMER_RUNNING", /consumer balances, pid \d+/),
        );
      } finally {
        lock.release();
      }
      assert.equal(ran, false, "nothing ran before the refusal");
      assert.equal(storedOffset(target), 5);
    });
    await t.step("a failure before the move moves nothing", async () => {
      await assert.rejects(
        () =>
          skipStoredRecord({ ...target, offset: 5 }, {
            before: () => Promise.reject(new Error("no copy")),
          }),
        /no copy/,
      );
      assert.equal(storedOffset(target), 5);
    });
    await t.step("skips when stopped: 5 → 6, and the lock is free again", async () => {
      assert.deepEqual(await skipStoredRecord({ ...target, offset: 5 }, { before }), {
        from: 5,
        to: 6,
      });
      assert.equal(ran, true);
      assert.equal(storedOffset(target), 6);
      lockFolder(folder, "next").release();
    });
    await t.step("a stale skip (the offset moved) is refused and changes nothing", async () => {
      await assert.rejects(
        () => skipStoredRecord({ ...target, offset: 5 }),
        refused("OFFSET_MOVED", /is 6, not 5/),
      );
      await assert.rejects(
        () => skipStoredRecord({ ...target, partition: 0, offset: 0 }),
        refused("OFFSET_MOVED", /is unset, not 0/),
      );
      assert.equal(storedOffset(target), 6);
    });
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});
