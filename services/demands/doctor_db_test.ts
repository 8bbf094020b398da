import assert from "node:assert/strict";
import { openDatabase } from "../../shared/sqlite/sqlite.ts";
import type { Demand } from "./demand.ts";
import {
  countDemands,
  DOCTOR_MIGRATIONS,
  getDemand,
  insertDemand,
  listDemands,
  recordAssignment,
} from "./doctor_db.ts";

const demand = (id: string): Demand => ({
  id,
  type: "emergency",
  location: { lat: -22.9, lng: -43.2 },
  metadata: { priority: "high", notes: "kept" },
});

const at = (offset: number) => ({ topic: "demands.created", partition: 0, offset });

Deno.test("doctor db - insertDemand stores the row, its payload, and keeps the first of an id", () => {
  const db = openDatabase(":memory:", { migrations: DOCTOR_MIGRATIONS });
  try {
    assert.equal(insertDemand(db, "house", demand("d-1"), at(7)), true);
    assert.equal(
      insertDemand(db, "house", { ...demand("d-1"), type: "transfer" }, at(8)),
      false,
    );
    const row = getDemand(db, "d-1")!;
    assert.equal(row.type, "emergency");
    assert.equal(row.status, "pending");
    assert.equal(row.offset, 7);
    assert.match(row.receivedAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const payload = db.prepare("SELECT payload FROM demands WHERE id = 'd-1'").get()!.payload;
    assert.deepEqual(JSON.parse(String(payload)), demand("d-1"));
  } finally {
    db.close();
  }
});

Deno.test("doctor db - a demands.assumed read before its demand decides the demand's status", async (t) => {
  const db = openDatabase(":memory:", { migrations: DOCTOR_MIGRATIONS });
  try {
    const assumedAt = "2026-01-01T00:00:00.000Z";
    recordAssignment(db, "house", { id: "mine", doctor: "house", assumedAt }, at(1));
    recordAssignment(db, "house", { id: "theirs", doctor: "other", assumedAt }, at(2));
    await t.step("this doctor's assumption: assumed", () => {
      insertDemand(db, "house", demand("mine"), at(3));
      assert.equal(getDemand(db, "mine")!.status, "assumed");
      assert.equal(getDemand(db, "mine")!.assignedTo, "house");
    });
    await t.step("another doctor's: taken", () => {
      insertDemand(db, "house", demand("theirs"), at(4));
      assert.equal(getDemand(db, "theirs")!.status, "taken");
    });
    await t.step("none: pending", () => {
      insertDemand(db, "house", demand("free"), at(5));
      assert.equal(getDemand(db, "free")!.status, "pending");
    });
  } finally {
    db.close();
  }
});

Deno.test("doctor db - listDemands pages and sorts; countDemands counts the whole filter", async (t) => {
  const db = openDatabase(":memory:", { migrations: DOCTOR_MIGRATIONS });
  try {
    const priorities = ["low", "critical", "medium", "high"];
    for (let i = 0; i < 23; i++) {
      const d = demand(`d-${String(i).padStart(2, "0")}`);
      insertDemand(db, "house", { ...d, metadata: { priority: priorities[i % 4] } }, at(i));
    }
    await t.step("pages of 10, newest first, none twice, none left out", () => {
      const seen = [0, 10, 20].flatMap((offset) =>
        listDemands(db, { limit: 10, offset }).map((r) => r.id)
      );
      assert.equal(seen.length, 23);
      assert.equal(new Set(seen).size, 23);
      assert.equal(seen[0], "d-22", "the last received first");
      assert.equal(countDemands(db), 23);
    });
    await t.step("priority descending: the most urgent first; ascending: the least", () => {
      const desc = listDemands(db, { sort: "priority", dir: "desc", limit: 23 });
      assert.deepEqual(
        [...new Set(desc.map((r) => r.priority))],
        ["critical", "high", "medium", "low"],
      );
      const asc = listDemands(db, { sort: "priority", dir: "asc", limit: 1 });
      assert.equal(asc[0].priority, "low");
    });
    await t.step("a filter counts only its rows", () => {
      assert.equal(countDemands(db, { priority: "critical" }), 6);
      assert.equal(listDemands(db, { priority: "critical", limit: 4, offset: 4 }).length, 2);
    });
  } finally {
    db.close();
  }
});
