import assert from "node:assert/strict";
import { openDatabase } from "../../shared/sqlite/sqlite.ts";
import { listPings, PINGS_MIGRATIONS, savePing } from "./pings_db.ts";

Deno.test("pings store - each ping once, newest first", () => {
  const db = openDatabase(":memory:", { migrations: PINGS_MIGRATIONS });
  assert.equal(savePing(db, { id: "a", message: "hi" }, 0), true);
  assert.equal(savePing(db, { id: "b", message: "ho" }, 1), true);
  assert.equal(savePing(db, { id: "a", message: "again" }, 2), false);
  assert.deepEqual(listPings(db), [{ id: "b", message: "ho" }, { id: "a", message: "hi" }]);
  db.close();
});
