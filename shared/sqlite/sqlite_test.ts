import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { migrate, openDatabase, statement, transaction } from "./sqlite.ts";

const tables = (db: DatabaseSync) =>
  (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as {
    name: string;
  }[]).map((r) => r.name);

Deno.test("sqlite migrations - applied in version order, once each, the rest on a later start", async (t) => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/a.db`;
  try {
    const order: number[] = [];
    const v = (version: number, sql: string) => ({
      version,
      name: `v${version}`,
      up: (db: DatabaseSync) => {
        order.push(version);
        db.exec(sql);
      },
    });
    await t.step("given in any order, applied by version", () => {
      const db = openDatabase(path, {
        migrations: [v(2, "ALTER TABLE a ADD COLUMN y"), v(1, "CREATE TABLE a (x)")],
      });
      db.close();
      assert.deepEqual(order, [1, 2]);
    });
    await t.step("opened again: nothing applied twice, a new version applied", () => {
      const db = new DatabaseSync(path);
      const done = migrate(db, [
        v(1, "CREATE TABLE a (x)"),
        v(2, "ALTER TABLE a ADD COLUMN y"),
        v(5, "CREATE TABLE b (z)"),
      ]);
      assert.deepEqual(done, [5]);
      assert.deepEqual(order, [1, 2, 5]);
      assert.deepEqual(tables(db), ["a", "b", "schema_migrations"]);
      db.close();
    });
    await t.step(
      "a migration that fails leaves no trace of itself, and is tried again next time",
      () => {
        const db = new DatabaseSync(path);
        assert.throws(
          () => migrate(db, [{ version: 6, name: "bad", up: "CREATE TABLE c (x); SELECT nope()" }]),
          /nope/,
        );
        assert.ok(!tables(db).includes("c"));
        assert.deepEqual(migrate(db, [{ version: 6, name: "good", up: "CREATE TABLE c (x)" }]), [
          6,
        ]);
        db.close();
      },
    );
    await t.step("two migrations of one version are refused before anything runs", () => {
      const db = new DatabaseSync(":memory:");
      assert.throws(
        () => migrate(db, [v(1, "CREATE TABLE a (x)"), v(1, "CREATE TABLE b (x)")]),
        /duplicate migration version 1/,
      );
      assert.deepEqual(tables(db), []);
    });
    await t.step("WAL, NORMAL sync and 16 KiB pages on a new database", () => {
      const db = openDatabase(`${dir}/b.db`);
      assert.equal(
        (db.prepare("PRAGMA journal_mode").get() as { journal_mode: string }).journal_mode,
        "wal",
      );
      assert.equal(
        (db.prepare("PRAGMA page_size").get() as { page_size: number }).page_size,
        16_384,
      );
      assert.equal(
        (db.prepare("PRAGMA foreign_keys").get() as { foreign_keys: number }).foreign_keys,
        1,
      );
      db.close();
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("sqlite transaction - committed when it returns, rolled back when it throws", () => {
  const db = openDatabase(":memory:", {
    migrations: [{ version: 1, name: "t", up: "CREATE TABLE t (x)" }],
  });
  const count = () => (db.prepare("SELECT count(*) AS n FROM t").get() as { n: number }).n;
  assert.equal(transaction(db, () => (db.exec("INSERT INTO t VALUES (1)"), "done")), "done");
  assert.equal(count(), 1);
  assert.throws(() =>
    transaction(db, () => {
      db.exec("INSERT INTO t VALUES (2)");
      throw new Error("midway");
    }), /midway/);
  assert.equal(count(), 1, "the insert before the throw is gone");
  assert.equal(db.isTransaction, false);
  db.close();
});

Deno.test("sqlite statement - prepared once per database and text", () => {
  const a = openDatabase(":memory:");
  const b = openDatabase(":memory:");
  assert.equal(statement(a, "SELECT 1"), statement(a, "SELECT 1"));
  assert.notEqual(statement(a, "SELECT 1"), statement(b, "SELECT 1"));
  assert.notEqual(statement(a, "SELECT 1"), statement(a, "SELECT 2"));
  a.close();
  b.close();
});
