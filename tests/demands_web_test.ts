/**
 * The demands API and page in process, without a broker: demands are put
 * into the doctor's database as its consumer would, then listed, filtered,
 * assumed (one outbox event, even when retried) and ignored through the
 * API and through the page's forms without JavaScript; bad input is a 400
 * naming each field; every value is rendered as text.
 */
import assert from "node:assert/strict";
import type { Hono } from "hono";
import { createApp } from "../main.ts";
import { subscribe } from "../shared/bus/bus.ts";
import type { BusMessage } from "../shared/bus/bus.ts";
import type { Demand } from "../services/demands/demand.ts";
import { DEMANDS_BUS_TOPIC } from "../services/demands/demand_view.ts";
import { DOCTOR_MIGRATIONS, insertDemand } from "../services/demands/doctor_db.ts";
import { doctorConfig } from "../services/demands/doctor_config.ts";
import type { DatabaseSync } from "../shared/sqlite/sqlite.ts";
import { Databases } from "../shared/web/databases.ts";
import type { WebEnv } from "../shared/web/route_types.ts";
import { fakeProbe } from "./web_helpers.ts";

const XSS = "<script>alert(1)</script>";

function demand(id: string, type: string, priority: string): Demand {
  return { id, type, location: { lat: -22.9, lng: -43.2 }, metadata: { priority } };
}

interface Fixture {
  app: Hono<WebEnv>;
  db: DatabaseSync;
  /** Rows of the doctor's outbox, oldest first. */
  outbox(): { topic: string; key: string; value: Record<string, unknown> }[];
  notes: BusMessage[];
}

async function withFixture(fn: (fx: Fixture) => Promise<void>) {
  const dataDir = await Deno.makeTempDir({ prefix: "freshet-demands-web-" });
  const shutdown = new AbortController();
  const prefix = "p.";
  const app = await createApp({
    dataDir,
    topicPrefix: prefix,
    env: {},
    brokerProbe: fakeProbe(),
    shutdown: shutdown.signal,
  });
  // The doctor consumer's own connection to the same file.
  const databases = new Databases(dataDir);
  const db = databases.get(doctorConfig().consumerName, DOCTOR_MIGRATIONS);
  const name = doctorConfig().name;
  const source = (offset: number) => ({ topic: `${prefix}demands.created`, partition: 0, offset });
  insertDemand(db, name, demand("d-1", "emergency", "high"), source(0));
  insertDemand(db, name, demand("d-2", XSS, "low"), source(1));
  insertDemand(db, name, demand("d-3", "consultation", "high"), source(2));
  const notes: BusMessage[] = [];
  const stop = subscribe((message) => notes.push(message));
  try {
    await fn({
      app,
      db,
      notes,
      outbox: () =>
        db.prepare("SELECT topic, key, value FROM outbox ORDER BY id").all().map((r) => ({
          topic: String(r.topic),
          key: String(r.key),
          value: JSON.parse(new TextDecoder().decode(r.value as Uint8Array)),
        })),
    });
  } finally {
    stop();
    databases.close();
    shutdown.abort();
    await Deno.remove(dataDir, { recursive: true });
  }
}

const postJson = (path: string, body?: string) =>
  new Request(`http://x${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body,
  });

const postForm = (path: string, fields: Record<string, string>) =>
  new Request(`http://x${path}`, { method: "POST", body: new URLSearchParams(fields) });

Deno.test("demands API - lists, filters, assumes once and ignores, in process", async (t) => {
  await withFixture(async ({ app, outbox, notes }) => {
    await t.step("GET /api/demands: newest first, counts, filters", async () => {
      const all = await (await app.fetch(new Request("http://x/api/demands"))).json();
      assert.equal(all.doctor, doctorConfig().name);
      assert.deepEqual(all.demands.map((d: { id: string }) => d.id), ["d-3", "d-2", "d-1"]);
      assert.deepEqual(all.counts, { pending: 3, assumed: 0, ignored: 0, taken: 0 });
      const high = await (await app.fetch(
        new Request("http://x/api/demands?priority=high&type=emergency"),
      )).json();
      assert.deepEqual(high.demands.map((d: { id: string }) => d.id), ["d-1"]);
      const limited = await (await app.fetch(new Request("http://x/api/demands?limit=1"))).json();
      assert.equal(limited.demands.length, 1);
    });

    await t.step("GET /api/demands with a bad query: 400 naming each parameter", async () => {
      const res = await app.fetch(new Request("http://x/api/demands?status=done&limit=0"));
      assert.equal(res.status, 400);
      assert.deepEqual((await res.json()).error.problems, [
        { path: "status", message: "expected one of pending, assumed, ignored, taken" },
        { path: "limit", message: "must be at least 1" },
      ]);
    });

    await t.step("GET /api/demands/:id: the row, or 404", async () => {
      const one = await (await app.fetch(new Request("http://x/api/demands/d-1"))).json();
      assert.deepEqual(
        [one.id, one.type, one.lat, one.lng, one.priority, one.status],
        ["d-1", "emergency", -22.9, -43.2, "high", "pending"],
      );
      const missing = await app.fetch(new Request("http://x/api/demands/nope"));
      assert.equal(missing.status, 404);
      assert.deepEqual(await missing.json(), { error: { status: 404, message: "no demand nope" } });
    });

    await t.step("assume: 200 assumed, one outbox event; a retry adds none", async () => {
      const res = await app.fetch(postJson("/api/demands/d-1/assume"));
      assert.equal(res.status, 200);
      const body = await res.json();
      assert.equal(body.status, "assumed");
      const again = await app.fetch(postJson("/api/demands/d-1/assume"));
      assert.equal(again.status, 200);
      assert.equal((await again.json()).status, "assumed");
      const events = outbox();
      assert.equal(events.length, 1);
      assert.equal(events[0].topic, "p.demands.assumed");
      assert.equal(events[0].key, "d-1");
      assert.deepEqual(events[0].value, {
        id: "d-1",
        doctor: doctorConfig().name,
        assumedAt: body.assumedAt,
      });
    });

    await t.step("ignore: 200 ignored, no event", async () => {
      const res = await app.fetch(postJson("/api/demands/d-3/ignore"));
      assert.equal(res.status, 200);
      assert.equal((await res.json()).status, "ignored");
      assert.equal(outbox().length, 1);
    });

    await t.step("only a pending demand changes: 409 with the current status; 404", async () => {
      const res = await app.fetch(postJson("/api/demands/d-3/assume"));
      assert.equal(res.status, 409);
      const { error } = await res.json();
      assert.equal(error.status, 409);
      assert.equal(error.current, "ignored");
      assert.match(error.message, /demand d-3 is ignored/);
      const ignoreAssumed = await app.fetch(postJson("/api/demands/d-1/ignore"));
      assert.equal(ignoreAssumed.status, 409);
      assert.equal((await ignoreAssumed.json()).error.current, "assumed");
      assert.equal((await app.fetch(postJson("/api/demands/nope/assume"))).status, 404);
      assert.equal((await app.fetch(postJson("/api/demands/nope/ignore"))).status, 404);
      assert.equal(outbox().length, 1);
    });

    await t.step("each change is one bus note {doctor, demand}; a retry none", async () => {
      const deadline = Date.now() + 2_000;
      while (notes.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      await new Promise((r) => setTimeout(r, 50));
      const mine = notes.filter((n) => n.topic === DEMANDS_BUS_TOPIC);
      assert.deepEqual(
        mine.map((n) => {
          const data = n.data as { doctor: string; demand: { id: string; status: string } };
          return [n.type, data.doctor, data.demand.id, data.demand.status];
        }),
        [
          ["updated", doctorConfig().name, "d-1", "assumed"],
          ["updated", doctorConfig().name, "d-3", "ignored"],
        ],
      );
    });

    await t.step("status filter and counts follow", async () => {
      const res = await app.fetch(new Request("http://x/api/demands?status=assumed"));
      const body = await res.json();
      assert.deepEqual(body.demands.map((d: { id: string }) => d.id), ["d-1"]);
      assert.deepEqual(body.counts, { pending: 1, assumed: 1, ignored: 1, taken: 0 });
    });
  });
});

Deno.test("demands API - a new demand with problems is refused with 400 listing each field", async (t) => {
  await withFixture(async ({ app }) => {
    const problemsOf = async (body: string) => {
      const res = await app.fetch(postJson("/api/demands", body));
      assert.equal(res.status, 400);
      const json = await res.json();
      assert.equal(json.error.status, 400);
      return json.error.problems;
    };
    await t.step("each bad field, by path", async () => {
      assert.deepEqual(
        await problemsOf(JSON.stringify({
          id: "",
          type: " ",
          location: { lat: 91, lng: "east" },
          metadata: { priority: 3 },
        })),
        [
          { path: "id", message: "must not be empty" },
          { path: "type", message: "must not be empty" },
          { path: "location.lat", message: "must be ≤ 90" },
          { path: "location.lng", message: "expected a number" },
          { path: "metadata.priority", message: "expected a string" },
        ],
      );
    });
    await t.step("missing fields", async () => {
      assert.deepEqual(await problemsOf("{}"), [
        { path: "type", message: "is required" },
        { path: "location", message: "is required" },
        { path: "metadata", message: "is required" },
      ]);
    });
    await t.step("not an object", async () => {
      assert.deepEqual(await problemsOf("[1]"), [{
        path: "body",
        message: "expected a JSON object {id?, type, location: {lat, lng}, metadata: {priority}}",
      }]);
    });
    await t.step("not JSON", async () => {
      const res = await app.fetch(postJson("/api/demands", "{nope"));
      assert.equal(res.status, 400);
      assert.equal((await res.json()).error.message, "the body is not valid JSON");
    });
  });
});

Deno.test("demands page - lists as text, filters, and its forms work without JavaScript", async (t) => {
  await withFixture(async ({ app, outbox }) => {
    const page = async (path: string) => {
      const res = await app.fetch(new Request(`http://x${path}`));
      return { status: res.status, html: await res.text() };
    };

    await t.step(
      "every demand, values as text (a <script> type never becomes markup)",
      async () => {
        const { status, html } = await page("/demands");
        assert.equal(status, 200);
        for (const id of ["d-1", "d-2", "d-3"]) {
          assert.match(html, new RegExp(`data-demand="${id}"`));
        }
        assert.match(html, /&lt;script>alert\(1\)&lt;\/script>/);
        assert.doesNotMatch(html, /<script>alert/);
        assert.match(html, /data-count="pending"[^]*?<strong>3<\/strong>/);
        assert.match(html, /<freshet-island data-name="DemandBoard"/);
      },
    );

    await t.step("filters by status, priority and type (query string)", async () => {
      const { html } = await page("/demands?priority=high&type=consultation");
      assert.match(html, /data-demand="d-3"/);
      assert.doesNotMatch(html, /data-demand="d-1"/);
      assert.match(html, /<option\s+value="high"\s+selected/);
      const bad = await page("/demands?status=done");
      assert.equal(bad.status, 400);
      assert.match(bad.html, /Filter ignored: status: expected one of/);
    });

    await t.step("Assume posts the form: 303 back (filter kept), one event", async () => {
      const res = await app.fetch(
        postForm("/demands?priority=high", { intent: "assume", id: "d-1" }),
      );
      assert.equal(res.status, 303);
      assert.equal(res.headers.get("location"), "/demands?priority=high&assumed=d-1");
      const { html } = await page(res.headers.get("location")!);
      assert.match(html, /Demand d-1 assumed\./);
      assert.match(html, /data-demand="d-1"[^]*?status-assumed/);
      assert.equal(outbox().length, 1);
    });

    await t.step("Ignore, then Assume of the ignored one: 409 page naming the status", async () => {
      const ok = await app.fetch(postForm("/demands", { intent: "ignore", id: "d-2" }));
      assert.equal(ok.status, 303);
      const res = await app.fetch(postForm("/demands", { intent: "assume", id: "d-2" }));
      assert.equal(res.status, 409);
      assert.match(await res.text(), /Demand d-2 is already ignored: only a pending demand/);
      const missing = await app.fetch(postForm("/demands", { intent: "ignore", id: "zz" }));
      assert.equal(missing.status, 404);
      assert.equal(outbox().length, 1);
    });

    await t.step(
      "a refused new demand: 400, problems listed, values kept and escaped",
      async () => {
        const res = await app.fetch(postForm("/demands", {
          intent: "create",
          type: `"><script>alert(2)</script>`,
          priority: "high",
          lat: "north",
          lng: "-43,2",
          id: "",
        }));
        assert.equal(res.status, 400);
        const html = await res.text();
        assert.match(html, /<li\s+data-path="location.lat">Latitude: expected a number<\/li>/);
        assert.doesNotMatch(html, /Longitude:/, "a decimal comma is a number");
        assert.doesNotMatch(html, /<script>alert/);
        assert.match(html, /value="&quot;>&lt;script>alert\(2\)&lt;\/script>"/);
      },
    );

    await t.step("the API takes the form fields too (400 JSON when refused)", async () => {
      const res = await app.fetch(postForm("/api/demands", {
        type: "x",
        priority: "high",
        lat: "",
        lng: "1",
      }));
      assert.equal(res.status, 400);
      assert.deepEqual((await res.json()).error.problems, [
        { path: "location.lat", message: "expected a number" },
      ]);
    });
  });
});
