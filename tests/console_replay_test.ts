/**
 * Replay a range against the real broker, as the `console` principal:
 * 10,000 records, a filter matching half of them, a dry run that counts
 * and samples (and copies nothing), the replay cancelled halfway and
 * resumed — ending with exactly the matching records once in the target,
 * each carrying where it came from; a topic onto itself, an internal
 * topic, an unknown target and a viewer refused; every step audited; the
 * console's pages.
 */
import assert from "node:assert/strict";
import { Partitioners } from "kafkajs";
import { adminKafka, createTopics, randomName, waitFor } from "./helpers.ts";
import { basic, logIn, testAuth } from "./auth_helpers.ts";
import { consoleCaller } from "./console_helpers.ts";
import { createWorldApp } from "./prefixed_world.ts";

const TOTAL = 10_000;

Deno.test({
  name: "console replay - a filtered range cancelled halfway and resumed, each match once",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    const kafka = adminKafka();
    const source = randomName("t-replay-src");
    const target = randomName("t-replay-dst");
    const drop = await createTopics(kafka, [
      { topic: source, numPartitions: 3 },
      { topic: target, numPartitions: 2 },
    ]);
    const dataDir = await Deno.makeTempDir({ prefix: "freshet-replay-" });
    const { app, shutdown } = await createWorldApp({ dataDir, prefix: "" }, { auth: testAuth() });
    const call = consoleCaller(app);
    const admin = kafka.admin();
    await admin.connect();
    const targetCount = async () =>
      (await admin.fetchTopicOffsets(target)).reduce((n, p) => n + Number(p.high), 0);
    const path = `/api/topics/${source}/replay`;
    const filter = { value: '"tag":"even"' };
    try {
      const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
      await producer.connect();
      for (let i = 0; i < TOTAL; i += 2_500) {
        await producer.send({
          topic: source,
          acks: -1,
          messages: Array.from({ length: 2_500 }, (_, j) => {
            const n = i + j;
            return {
              key: `k${n}`,
              value: `{"n":${n},"tag":"${n % 2 === 0 ? "even" : "odd"}"}`,
              headers: { h: `v${n}` },
            };
          }),
        });
      }
      await producer.disconnect();

      await t.step(
        "refused: a viewer, a topic onto itself, internal and unknown topics",
        async () => {
          const viewer = await call("viewer", "POST", path, { target, dryRun: true });
          assert.equal(viewer.status, 403);
          const itself = await call("operator", "POST", path, { target: source });
          assert.equal(itself.status, 400);
          assert.match(itself.body.error.message, /onto itself is refused/);
          const internal = await call("operator", "POST", path, { target: "__consumer_offsets" });
          assert.equal(internal.status, 403);
          assert.match(internal.body.error.message, /__consumer_offsets is an internal topic/);
          const fromInternal = await call(
            "operator",
            "POST",
            "/api/topics/__consumer_offsets/replay",
            { target },
          );
          assert.equal(fromInternal.status, 403);
          const unknown = await call("operator", "POST", path, { target: randomName("nope") });
          assert.equal(unknown.status, 404);
          assert.match(
            unknown.body.error.message,
            /no target topic .* \(a replay never creates one\)/,
          );
          const noSource = await call(
            "operator",
            "POST",
            `/api/topics/${randomName("nope")}/replay`,
            {
              target,
            },
          );
          assert.equal(noSource.status, 404);
          const bad = await call("operator", "POST", path, {
            target,
            from: "offset",
            until: "sometime",
            ratePerSec: 0,
          });
          assert.equal(bad.status, 400);
          assert.deepEqual(bad.body.error.problems, [
            "fromOffset must be a non-negative integer",
            "until must be one of end, offset, timestamp",
            "ratePerSec must be an integer from 1 to 100000",
          ]);
          assert.equal(await targetCount(), 0);
        },
      );

      await t.step("a dry run counts and samples, and copies nothing", async () => {
        const { status, body } = await call("operator", "POST", path, {
          target,
          ...filter,
          dryRun: true,
        });
        assert.equal(status, 200, JSON.stringify(body));
        assert.deepEqual(
          [body.offsets, body.scanned, body.matching, body.complete],
          [TOTAL, TOTAL, TOTAL / 2, true],
        );
        assert.equal(body.sample.length, 10);
        for (const m of body.sample) assert.equal(JSON.parse(m.value.text).tag, "even");
        const byOffset = await call("operator", "POST", path, {
          target,
          partition: 1,
          from: "offset",
          fromOffset: 10,
          until: "offset",
          untilOffset: 30,
          dryRun: true,
        });
        assert.deepEqual(byOffset.body.ranges, [{ partition: 1, from: 10, until: 30 }]);
        assert.equal(byOffset.body.scanned, 20);
        assert.equal(await targetCount(), 0);
      });

      let id = 0;
      await t.step("cancelled halfway: it stops, what it sent stays sent", async () => {
        const started = await call("operator", "POST", path, {
          target,
          ...filter,
          ratePerSec: 2_000,
        });
        assert.equal(started.status, 202, JSON.stringify(started.body));
        id = started.body.id;
        assert.equal(started.body.state, "running");
        assert.equal(started.body.progress.offsets, TOTAL);
        const replayPath = `/api/replays/${id}`;
        await waitFor("1,500 records sent", async () => {
          const { body } = await call("operator", "GET", replayPath);
          return body.sent >= 1_500;
        });
        const cancelled = await call("operator", "POST", `${replayPath}/cancel`);
        assert.equal(cancelled.status, 200, JSON.stringify(cancelled.body));
        assert.equal(cancelled.body.state, "cancelled");
        const sent = cancelled.body.sent;
        assert.ok(sent >= 1_500 && sent < TOTAL / 2, `sent ${sent}`);
        assert.equal(await targetCount(), sent);
        await new Promise((r) => setTimeout(r, 500));
        assert.equal(await targetCount(), sent, "nothing more is sent once cancelled");
        assert.equal((await call("operator", "POST", `${replayPath}/cancel`)).status, 409);
        assert.equal((await call("viewer", "GET", replayPath)).status, 403);
      });

      await t.step("resumed: every matching record exactly once in the target", async () => {
        const replayPath = `/api/replays/${id}`;
        const resumed = await call("operator", "POST", `${replayPath}/resume`);
        assert.equal(resumed.status, 202, JSON.stringify(resumed.body));
        await waitFor("the replay done", async () => {
          const { body } = await call("operator", "GET", replayPath);
          return body.state === "done";
        }, 60_000);
        const { body } = await call("operator", "GET", replayPath);
        assert.equal(body.sent, TOTAL / 2);
        assert.deepEqual(body.unknown, []);
        assert.equal(body.progress.percent, 100);
        assert.equal(await targetCount(), TOTAL / 2);
        const res = await app.fetch(
          new Request(`http://127.0.0.1/api/topics/${target}/messages/export?maxMessages=100000`, {
            headers: basic("viewer"),
          }),
        );
        const lines = (await res.text()).trim().split("\n").map((l) => JSON.parse(l));
        const { end } = lines.pop();
        assert.equal(end.exported, TOTAL / 2);
        const seen = new Set<number>();
        for (const m of lines) {
          const n = JSON.parse(m.value).n;
          assert.equal(n % 2, 0, `${n} does not match the filter`);
          assert.ok(!seen.has(n), `${n} copied twice`);
          seen.add(n);
          assert.equal(m.key, `k${n}`);
          assert.equal(m.headers.h, `v${n}`);
          assert.match(m.headers.freshet_replay_of, new RegExp(`^${source}/\\d/\\d+$`));
          assert.equal(m.headers.freshet_replay_id, String(id));
        }
        assert.equal(seen.size, TOTAL / 2);
        assert.equal((await call("operator", "POST", `${replayPath}/resume`)).status, 409);
        const list = await call("operator", "GET", `/api/replays?topic=${source}`);
        assert.deepEqual(list.body.replays.map((r: { id: number }) => r.id), [id]);
      });

      await t.step("each step is audited", async () => {
        const { body } = await call("operator", "GET", "/api/audit?limit=100");
        const mine = body.entries.filter((e: { target: string }) => e.target === `topic:${source}`)
          .map((e: { action: string; result: string; detail: string }) =>
            `${e.action} ${e.result}${
              e.action === "replay.end" ? ` ${JSON.parse(e.detail).stop}` : ""
            }`
          ).reverse();
        assert.deepEqual(mine, [
          "topic.replay refused", // the viewer
          "topic.replay ok",
          "replay.end ok cancelled",
          "replay.cancel ok",
          "replay.cancel error", // not running: 409
          "replay.resume ok",
          "replay.end ok done",
          "replay.resume error", // done: 409
        ]);
      });

      await t.step("the pages: linked from the topic, a form, the replay's progress", async () => {
        const get = async (p: string) => {
          const res = await app.fetch(
            new Request(`http://127.0.0.1${p}`, { headers: basic("operator") }),
          );
          return { status: res.status, html: await res.text() };
        };
        const topicPage = await get(`/console/topics/${source}`);
        assert.match(topicPage.html, new RegExp(`href="/console/topics/${source}/replay"`));
        const form = await get(
          `/console/topics/${source}/replay?target=${target}&value=even&dryRun=1`,
        );
        assert.equal(form.status, 200, form.html);
        assert.match(form.html, /<strong>5,000<\/strong> of 10,000 record\(s\) match/);
        assert.match(form.html, new RegExp(`href="/console/replays/${id}"`));
        const progress = await get(`/console/replays/${id}`);
        assert.equal(progress.status, 200);
        assert.match(progress.html, /done/);
        assert.match(progress.html, /5,000 sent/);
      });

      await t.step("by the forms: start, cancel and resume, each a redirect", async () => {
        const session = await logIn(app, "operator");
        const post = async (path: string, fields: Record<string, string>) => {
          const res = await app.fetch(
            new Request(`http://127.0.0.1${path}`, {
              method: "POST",
              headers: { cookie: session.cookie, origin: "http://127.0.0.1" },
              body: new URLSearchParams({ _csrf: session.csrfToken, ...fields }),
            }),
          );
          await res.body?.cancel();
          return res;
        };
        const input = { target, partition: "0", value: '"tag":"odd"', ratePerSec: "200" };
        const dry = await call("operator", "POST", path, { ...input, dryRun: true });
        const started = await post(`/console/topics/${source}/replay`, input);
        assert.equal(started.status, 303);
        const location = started.headers.get("location")!;
        assert.match(location, /^\/console\/replays\/\d+$/);
        const api = `/api${location.slice("/console".length)}`;
        assert.equal((await post(location, { intent: "cancel" })).status, 303);
        assert.equal((await call("operator", "GET", api)).body.state, "cancelled");
        assert.equal((await post(location, { intent: "resume" })).status, 303);
        await waitFor("the form's replay done", async () => {
          const { body } = await call("operator", "GET", api);
          return body.state === "done";
        }, 60_000);
        assert.equal((await call("operator", "GET", api)).body.sent, dry.body.matching);
        assert.equal(await targetCount(), TOTAL / 2 + dry.body.matching);
      });
    } finally {
      await admin.disconnect();
      shutdown();
      await drop();
      await Deno.remove(dataDir, { recursive: true });
    }
  },
});

Deno.test({
  name:
    "console replay - a server stopped mid-replay: interrupted, resumed by the next, none twice",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const kafka = adminKafka();
    const source = randomName("t-replay-src");
    const target = randomName("t-replay-dst");
    const drop = await createTopics(kafka, [
      { topic: source, numPartitions: 2 },
      { topic: target, numPartitions: 1 },
    ]);
    const dataDir = await Deno.makeTempDir({ prefix: "freshet-replay-" });
    let world = await createWorldApp({ dataDir, prefix: "" }, { auth: testAuth() });
    try {
      const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
      await producer.connect();
      await producer.send({
        topic: source,
        acks: -1,
        messages: Array.from({ length: 4_000 }, (_, n) => ({ key: `k${n}`, value: `{"n":${n}}` })),
      });
      await producer.disconnect();
      const started = await consoleCaller(world.app)(
        "operator",
        "POST",
        `/api/topics/${source}/replay`,
        {
          target,
          ratePerSec: 2_000,
        },
      );
      assert.equal(started.status, 202, JSON.stringify(started.body));
      const path = `/api/replays/${started.body.id}`;
      await waitFor("1,000 records sent", async () => {
        const { body } = await consoleCaller(world.app)("operator", "GET", path);
        return body.sent >= 1_000;
      });
      world.shutdown();
      await new Promise((r) => setTimeout(r, 500)); // the stopped job winds down

      world = await createWorldApp({ dataDir, prefix: "" }, { auth: testAuth() });
      const call = consoleCaller(world.app);
      const stopped = await call("operator", "GET", path);
      assert.equal(stopped.body.state, "interrupted");
      assert.ok(stopped.body.sent >= 1_000 && stopped.body.sent < 4_000, `${stopped.body.sent}`);
      assert.equal((await call("operator", "POST", `${path}/resume`)).status, 202);
      await waitFor("the replay done", async () => {
        const { body } = await call("operator", "GET", path);
        return body.state === "done";
      }, 60_000);
      const { body } = await call("operator", "GET", path);
      // A batch whose send the shutdown cut is never sent again (at most once), and named.
      const unknown = body.unknown as { partition: number; from: number; until: number }[];
      const res = await world.app.fetch(
        new Request(`http://127.0.0.1/api/topics/${target}/messages/export`, {
          headers: basic("viewer"),
        }),
      );
      const lines = (await res.text()).trim().split("\n").map((l) => JSON.parse(l));
      lines.pop();
      const copied = new Map<string, number>();
      for (const m of lines) {
        const of = m.headers.freshet_replay_of as string;
        copied.set(of, (copied.get(of) ?? 0) + 1);
      }
      assert.ok([...copied.values()].every((n) => n === 1), "no record copied twice");
      const missing: string[] = [];
      for (const p of body.partitions) {
        for (let o = p.from; o < p.until; o++) {
          const id = `${source}/${p.partition}/${o}`;
          const inUnknown = unknown.some((u) =>
            u.partition === p.partition && o >= u.from && o < u.until
          );
          if (!copied.has(id) && !inUnknown) missing.push(id);
        }
      }
      assert.deepEqual(missing, [], "every record outside an unknown range copied");
      // What was sent and acknowledged is counted; an unknown batch may have landed or not.
      const unknownOffsets = unknown.reduce((n, u) => n + u.until - u.from, 0);
      assert.ok(
        lines.length >= body.sent && lines.length <= body.sent + unknownOffsets,
        `${lines.length} copies, ${body.sent} sent, ${unknownOffsets} unknown`,
      );
    } finally {
      world.shutdown();
      await drop();
      await Deno.remove(dataDir, { recursive: true });
    }
  },
});
