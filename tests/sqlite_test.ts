/** The SQLite kernel: pragmas, page size, migrations, transactions. */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { DATABASE_PAGE_SIZE, migrate, openDatabase, transaction } from "../shared/sqlite/sqlite.ts";

async function tempDb(): Promise<{ path: string; cleanup: () => Promise<void> }> {
  const dir = await Deno.makeTempDir({ prefix: "freshet-sqlite-" });
  return { path: `${dir}/test.db`, cleanup: () => Deno.remove(dir, { recursive: true }) };
}

const pragma = (db: DatabaseSync, name: string) =>
  Object.values(db.prepare(`PRAGMA ${name}`).get()!)[0];

Deno.test("a new database is WAL with 16 KiB pages", async () => {
  const { path, cleanup } = await tempDb();
  const db = openDatabase(path);
  try {
    assert.deepEqual(pragma(db, "journal_mode"), "wal");
    assert.deepEqual(pragma(db, "page_size"), DATABASE_PAGE_SIZE);
    assert.deepEqual(pragma(db, "synchronous"), 1); // NORMAL
  } finally {
    db.close();
    await cleanup();
  }
});

Deno.test("an existing database keeps its page size and its rows", async () => {
  const { path, cleanup } = await tempDb();
  const old = new DatabaseSync(path);
  old.exec("PRAGMA page_size = 4096; PRAGMA journal_mode = WAL; CREATE TABLE t (v TEXT)");
  old.exec("INSERT INTO t VALUES ('kept')");
  old.close();
  const db = openDatabase(path);
  try {
    assert.deepEqual(pragma(db, "page_size"), 4096);
    assert.deepEqual(db.prepare("SELECT v FROM t").get()?.v, "kept");
  } finally {
    db.close();
    await cleanup();
  }
});

Deno.test("migrations run once each, in version order, whatever order they are given in", async () => {
  const { path, cleanup } = await tempDb();
  const migrations = [
    { version: 2, name: "second", up: "INSERT INTO log VALUES ('two')" },
    { version: 1, name: "first", up: "CREATE TABLE log (step TEXT)" },
  ];
  const db = openDatabase(path, { migrations });
  try {
    assert.deepEqual(migrate(db, migrations), []); // already applied
    const again = openDatabase(path, { migrations });
    again.close();
    assert.deepEqual(db.prepare("SELECT step FROM log").all().map((r) => r.step), ["two"]);
    assert.throws(
      () => migrate(db, [...migrations, { version: 2, name: "twin", up: "SELECT 1" }]),
      /duplicate migration version 2/,
    );
  } finally {
    db.close();
    await cleanup();
  }
});

Deno.test("a transaction that throws leaves nothing behind", async () => {
  const { path, cleanup } = await tempDb();
  const db = openDatabase(path, {
    migrations: [{ version: 1, name: "t", up: "CREATE TABLE t (v INTEGER)" }],
  });
  try {
    assert.throws(
      () =>
        transaction(db, () => {
          db.exec("INSERT INTO t VALUES (1)");
          throw new Error("boom");
        }),
      /boom/,
    );
    transaction(db, () => db.exec("INSERT INTO t VALUES (2)"));
    assert.deepEqual(db.prepare("SELECT v FROM t").all().map((r) => r.v), [2]);
  } finally {
    db.close();
    await cleanup();
  }
});
