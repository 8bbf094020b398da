import assert from "node:assert/strict";
import { openDatabase, transaction } from "../sqlite/sqlite.ts";
import { OffsetConflictError, OFFSETS_MIGRATION, offsetStore } from "./offsets.ts";

Deno.test("stored offsets - advance is a compare-and-set", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "freshet-offsets-" });
  const db = openDatabase(`${dir}/x.db`, { migrations: [OFFSETS_MIGRATION] });
  const offsets = offsetStore(db);
  try {
    await t.step("first batch of a partition: from unset", () => {
      transaction(db, () => offsets.advance("t", 0, undefined, 10));
      assert.equal(offsets.get("t", 0), 10);
    });
    await t.step("a batch read against the stored value moves it", () => {
      transaction(db, () => offsets.advance("t", 0, 10, 25));
      assert.equal(offsets.get("t", 0), 25);
    });
    await t.step("a stale batch is refused and its transaction rolled back", () => {
      db.exec("CREATE TABLE rows (n INTEGER)");
      assert.throws(
        () =>
          transaction(db, () => {
            db.exec("INSERT INTO rows VALUES (1)");
            offsets.advance("t", 0, 10, 30);
          }),
        (error: unknown) =>
          error instanceof OffsetConflictError && error.found === 25 && error.expected === 10,
      );
      assert.equal(offsets.get("t", 0), 25);
      assert.equal(Number(db.prepare("SELECT count(*) AS c FROM rows").get()!.c), 0);
    });
    await t.step("a second 'first batch' is refused too", () => {
      assert.throws(() => offsets.advance("t", 0, undefined, 3), OffsetConflictError);
    });
  } finally {
    db.close();
    await Deno.remove(dir, { recursive: true });
  }
});
