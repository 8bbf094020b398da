import assert from "node:assert/strict";
import { Databases } from "./databases.ts";
import { HttpError } from "./http_error.ts";
import { openDatabase } from "../sqlite/sqlite.ts";

const tables = (db: { prepare(sql: string): { all(): unknown[] } }) =>
  (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as {
    name: string;
  }[]).map((r) => r.name);

Deno.test("databases - one connection per database, with the owner's, the services' and the kernel's tables", async () => {
  const dir = await Deno.makeTempDir();
  const databases = new Databases(dir, {
    shared: [{ version: 100, name: "a service's table", up: "CREATE TABLE added (x)" }],
  });
  try {
    const owned = [{ version: 1, name: "own", up: "CREATE TABLE own (x)" }];
    const db = databases.get("shared", owned);
    assert.equal(databases.get("shared", owned), db, "opened once");
    const names = tables(db);
    for (const t of ["added", "own", "consumer_offsets", "outbox", "schema_migrations"]) {
      assert.ok(names.includes(t), `${t} in ${names.join(", ")}`);
    }
    const other = databases.get("other", []);
    assert.ok(!tables(other).includes("added"), "added only where it was declared");
    assert.ok((await Deno.stat(`${dir}/shared/shared.db`)).isFile);
  } finally {
    databases.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("databases - a service's migration reusing the owner's version is refused", async () => {
  const dir = await Deno.makeTempDir();
  const databases = new Databases(dir, { shared: [{ version: 1, name: "clash", up: "SELECT 1" }] });
  try {
    assert.throws(
      () => databases.get("shared", [{ version: 1, name: "own", up: "SELECT 1" }]),
      /duplicate migration version 1/,
    );
  } finally {
    databases.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("databases - a database its consumer holds locked (a long migration) is a 503, then opens once free", async () => {
  const dir = await Deno.makeTempDir();
  const databases = new Databases(dir, {}, 200);
  const owned = [{ version: 1, name: "own", up: "CREATE TABLE own (x)" }];
  const migrated = [...owned, { version: 2, name: "second", up: "CREATE TABLE second (x)" }];
  // The consumer: opened at version 1, then holding the write lock as a migration does.
  await Deno.mkdir(`${dir}/svc`);
  const consumer = openDatabase(`${dir}/svc/svc.db`, { migrations: owned });
  try {
    consumer.exec("BEGIN IMMEDIATE");
    assert.throws(
      () => databases.get("svc", migrated),
      (error: unknown) =>
        error instanceof HttpError && error.status === 503 &&
        /the svc database is busy \(its consumer is migrating it/.test(error.message),
    );
    consumer.exec("COMMIT");
    assert.ok(tables(databases.get("svc", migrated)).includes("second"), "opened, migrated");
  } finally {
    databases.close();
    consumer.close();
    await Deno.remove(dir, { recursive: true });
  }
});
