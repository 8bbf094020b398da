/**
 * The demands service against the real broker, each part as its real
 * principal: `POST /api/demands` (web) produces the seed's record to
 * `demands.created`, the doctor consumer (in process) stores it; a record
 * sent bare (kcat, the REST proxy) is stored too, a broken one goes to the
 * DLQ with its reason; assuming emits one `demands.assumed` even when
 * retried, ignoring none.
 */
import assert from "node:assert/strict";
import type { Hono } from "hono";
import { DLQ_HEADERS } from "../shared/consumer/dead_letter.ts";
import { DEMANDS_ASSUMED, DEMANDS_CREATED } from "../services/demands/demand.ts";
import type { DemandRow } from "../services/demands/doctor_db.ts";
import { doctorConfig } from "../services/demands/doctor_config.ts";
import type { WebEnv } from "../shared/web/route_types.ts";
import { produce, waitFor } from "./helpers.ts";
import { demandsWorld, type Doctor, readTopic, startDoctor, textOf } from "./demands_helpers.ts";
import { createWorldApp } from "./prefixed_world.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const post = (path: string, body?: unknown) =>
  new Request(`http://x${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

async function demandOf(app: Hono<WebEnv>, id: string): Promise<DemandRow | undefined> {
  const res = await app.fetch(new Request(`http://x/api/demands/${encodeURIComponent(id)}`));
  if (res.status === 404) {
    await res.body?.cancel();
    return undefined;
  }
  return await res.json();
}

Deno.test("demands - created over HTTP, stored by the doctor, assumed once, ignored silently", async (t) => {
  const world = await demandsWorld();
  const { app, shutdown } = await createWorldApp(world);
  const doctorName = doctorConfig().name;
  let doctor: Doctor | undefined;
  const stored = (id: string) =>
    waitFor(`demand ${id} stored`, async () => !!(await demandOf(app, id)));
  const assumedRecords = async (id: string) =>
    (await readTopic(world, DEMANDS_ASSUMED)).filter((m) => m.key === id);
  try {
    doctor = await startDoctor(world, doctorName);

    await t.step("POST /api/demands → the seed's record in Kafka → a pending row", async () => {
      const res = await app.fetch(post("/api/demands", {
        type: " emergency ",
        location: { lat: -22.9, lng: -43.2, alt: 10 },
        metadata: { priority: "high", note: "not in the seed" },
        extra: true,
      }));
      assert.equal(res.status, 201, await res.clone().text());
      const created = await res.json();
      const id: string = created.demand.id;
      assert.match(id, UUID, "the server picks a UUID");
      assert.equal(res.headers.get("location"), `/api/demands/${id}`);
      assert.equal(created.topic, world.topic(DEMANDS_CREATED));

      const records = (await readTopic(world, DEMANDS_CREATED)).filter((m) => m.key === id);
      assert.equal(records.length, 1);
      const [record] = records;
      assert.deepEqual([record.partition, record.offset], [created.partition, created.offset]);
      assert.equal(
        textOf(record),
        JSON.stringify({
          id,
          type: "emergency",
          location: { lat: -22.9, lng: -43.2 },
          metadata: { priority: "high" },
        }),
        "exactly the seed's payload (trimmed, nothing else)",
      );
      assert.match(record.headers.ce_id, UUID);
      assert.equal(record.headers.ce_type, "demands.created");
      assert.equal(record.headers.ce_source, "freshet/web");
      assert.ok(Math.abs(Date.parse(record.headers.ce_time) - Date.now()) < 60_000);
      assert.equal(record.headers["content-type"], "application/json");

      await stored(id);
      const row = (await demandOf(app, id))!;
      assert.deepEqual(
        [row.type, row.lat, row.lng, row.priority, row.status, row.assignedTo],
        ["emergency", -22.9, -43.2, "high", "pending", null],
      );
      assert.deepEqual([row.topic, row.partition, row.offset], [
        world.topic(DEMANDS_CREATED),
        created.partition,
        created.offset,
      ]);
    });

    await t.step("a client's id is kept; the page's form gets a 303 back", async () => {
      const id = `req-${crypto.randomUUID()}`;
      const res = await app.fetch(post("/api/demands", {
        id,
        type: "consultation",
        location: { lat: 0, lng: 0 },
        metadata: { priority: "low" },
      }));
      assert.equal(res.status, 201);
      assert.equal((await res.json()).demand.id, id);
      const form = await app.fetch(
        new Request("http://x/api/demands", {
          method: "POST",
          body: new URLSearchParams({ type: "visit", priority: "medium", lat: "1,5", lng: "2" }),
        }),
      );
      assert.equal(form.status, 303);
      const formId = new URL(form.headers.get("location")!, "http://x").searchParams.get(
        "created",
      )!;
      assert.match(formId, UUID);
      await stored(id);
      await stored(formId);
      assert.deepEqual(
        [(await demandOf(app, formId))!.lat, (await demandOf(app, formId))!.type],
        [1.5, "visit"],
      );
    });

    await t.step("bare JSON without headers (kcat, REST proxy) is stored", async () => {
      const id = `kcat-${crypto.randomUUID()}`;
      await produce(world.kafka, world.topic(DEMANDS_CREATED), [{
        key: null,
        value: JSON.stringify({
          id,
          type: "emergency",
          location: { lat: -22.9, lng: -43.2 },
          metadata: { priority: "high" },
        }),
      }]);
      await stored(id);
      assert.equal((await demandOf(app, id))!.status, "pending");
    });

    await t.step("malformed JSON and a wrong shape go to the DLQ with the reason", async () => {
      const after = `after-${crypto.randomUUID()}`;
      await produce(world.kafka, world.topic(DEMANDS_CREATED), [
        { key: "broken", value: "{not json" },
        { key: "broken", value: JSON.stringify({ id: "x", type: "emergency" }) },
        {
          key: "broken", // same key: same partition, after the two bad ones
          value: JSON.stringify({
            id: after,
            type: "t",
            location: { lat: 1, lng: 1 },
            metadata: { priority: "low" },
          }),
        },
      ]);
      await stored(after);
      let dead: Awaited<ReturnType<typeof readTopic>> = [];
      await waitFor("two dead letters", async () => {
        dead = await readTopic(world, `${DEMANDS_CREATED}.dlq`);
        return dead.length >= 2;
      });
      assert.equal(dead.length, 2);
      assert.deepEqual(dead.map(textOf), [
        "{not json",
        JSON.stringify({ id: "x", type: "emergency" }),
      ]);
      assert.equal(dead[0].headers[DLQ_HEADERS.code], "INVALID_JSON");
      assert.match(dead[0].headers[DLQ_HEADERS.error], /value is not valid JSON/);
      assert.equal(dead[1].headers[DLQ_HEADERS.code], "SCHEMA_MISMATCH");
      assert.match(dead[1].headers[DLQ_HEADERS.error], /location: .*metadata: /);
      for (const d of dead) {
        assert.equal(d.key, "broken");
        assert.equal(d.headers[DLQ_HEADERS.topic], world.topic(DEMANDS_CREATED));
        assert.match(d.headers[DLQ_HEADERS.offset], /^\d+$/);
      }
    });

    await t.step("assume: one demands.assumed even when the request is retried", async () => {
      const id = `assume-${crypto.randomUUID()}`;
      const created = await app.fetch(post("/api/demands", {
        id,
        type: "emergency",
        location: { lat: 1, lng: 2 },
        metadata: { priority: "critical" },
      }));
      assert.equal(created.status, 201);
      await stored(id);

      const [first, second] = await Promise.all([
        app.fetch(post(`/api/demands/${id}/assume`)),
        app.fetch(post(`/api/demands/${id}/assume`)),
      ]);
      assert.deepEqual([first.status, second.status], [200, 200]);
      const row: DemandRow = await first.json();
      assert.equal(row.status, "assumed");
      await second.body?.cancel();

      await waitFor(
        "the doctor to read its own demands.assumed",
        async () => (await demandOf(app, id))?.assignedTo === doctorName,
      );
      const retry = await app.fetch(post(`/api/demands/${id}/assume`));
      assert.equal(retry.status, 200, "a retry after the event: still 200");
      await retry.body?.cancel();
      await new Promise((r) => setTimeout(r, 800)); // more than the relay's 200 ms poll

      const records = await assumedRecords(id);
      assert.equal(records.length, 1, "exactly one event");
      assert.deepEqual(JSON.parse(textOf(records[0])), {
        id,
        doctor: doctorName,
        assumedAt: row.assumedAt,
      });
      assert.equal(records[0].headers.ce_type, "demands.assumed");
      assert.equal(records[0].headers.ce_source, `freshet/${doctorName}`);
      const final = (await demandOf(app, id))!;
      assert.deepEqual([final.status, final.assignedTo], ["assumed", doctorName]);

      const conflict = await app.fetch(post(`/api/demands/${id}/ignore`));
      assert.equal(conflict.status, 409);
      assert.equal((await conflict.json()).error.current, "assumed");
    });

    await t.step("ignore: status only, no event; then 409 for either action; 404", async () => {
      const id = `ignore-${crypto.randomUUID()}`;
      const created = await app.fetch(post("/api/demands", {
        id,
        type: "visit",
        location: { lat: 1, lng: 2 },
        metadata: { priority: "low" },
      }));
      assert.equal(created.status, 201);
      await created.body?.cancel();
      await stored(id);
      const res = await app.fetch(post(`/api/demands/${id}/ignore`));
      assert.equal(res.status, 200);
      assert.equal((await res.json()).status, "ignored");
      for (const action of ["assume", "ignore"]) {
        const again = await app.fetch(post(`/api/demands/${id}/${action}`));
        assert.equal(again.status, 409);
        const { error } = await again.json();
        assert.deepEqual([error.status, error.current], [409, "ignored"]);
      }
      const missing = await app.fetch(post(`/api/demands/nope-${id}/assume`));
      assert.equal(missing.status, 404);
      await missing.body?.cancel();
      await new Promise((r) => setTimeout(r, 800));
      assert.deepEqual(await assumedRecords(id), []);
      assert.equal((await demandOf(app, id))!.status, "ignored");
    });
  } finally {
    await doctor?.stop();
    shutdown();
    await world.close();
  }
});
