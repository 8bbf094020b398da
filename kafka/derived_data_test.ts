import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { lockFolder } from "../shared/consumer/folder_lock.ts";
import { consumerFolders, removeDerivedData } from "./derived_data.ts";

function database(path: string, sql: string): void {
  Deno.mkdirSync(path.slice(0, path.lastIndexOf("/")), { recursive: true });
  const db = new DatabaseSync(path);
  db.exec(sql);
  db.close();
}

Deno.test("kafka --fresh - removes the consumer databases built from the wiped log, not others or one in use", async () => {
  const data = await Deno.makeTempDir({ prefix: "freshet-derived-" });
  try {
    const offsets =
      "CREATE TABLE consumer_offsets (topic TEXT, partition INTEGER, next_offset INTEGER)";
    database(`${data}/doctor-house/doctor-house.db`, offsets);
    database(`${data}/payments-service/payments-service.db`, offsets);
    database(`${data}/console/console.db`, "CREATE TABLE audit_log (id INTEGER)");
    Deno.mkdirSync(`${data}/kafka/node-1`, { recursive: true });
    assert.deepEqual(consumerFolders(data), [
      `${data}/doctor-house`,
      `${data}/payments-service`,
    ]);
    const running = lockFolder(`${data}/payments-service`, "consumer payments-service");
    try {
      const result = await removeDerivedData(data);
      assert.deepEqual(result.removed, [`${data}/doctor-house`]);
      assert.equal(result.inUse.length, 1);
      assert.match(result.inUse[0].holder, /consumer payments-service, pid \d+/);
    } finally {
      running.release();
    }
    const left = [...Deno.readDirSync(data)].map((e) => e.name).sort();
    assert.deepEqual(left, ["console", "kafka", "payments-service"]);
  } finally {
    await Deno.remove(data, { recursive: true });
  }
});
