/**
 * The monitor page's charts stay readable and the page small, in process
 * on a real monitor's data: the busiest 8 topics and one "others" line,
 * a deleted topic neither drawn nor listed, every line downsampled
 * for the page while the API keeps its resolution, and without JavaScript
 * each chart says so instead of an empty frame.
 */
import assert from "node:assert/strict";
import { withAdmin } from "../shared/kafka/client.ts";
import { MAX_POINTS } from "../services/monitor/range.ts";
import type { TopicsReport } from "../services/monitor/web/types.ts";
import { othersLabel } from "../services/monitor/web/chart_topics.ts";
import { produce, waitFor } from "./helpers.ts";
import { countedPerTopic, monitorFixture } from "./monitor_helpers.ts";
import { createWorldApp } from "./prefixed_world.ts";

Deno.test("monitor charts - top lines and others, deleted topics dropped, downsampled page", async (t) => {
  const fx = await monitorFixture("mon-charts");
  const { app, shutdown } = await createWorldApp(fx);
  const get = (path: string) => app.fetch(new Request(`http://127.0.0.1${path}`));
  try {
    const topics: string[] = [];
    for (let i = 0; i < 11; i++) {
      topics.push(await fx.createTopic(`t${String(i).padStart(2, "0")}`, 1));
    }
    for (const [i, topic] of topics.entries()) {
      await produce(
        fx.kafka,
        topic,
        Array.from({ length: 2 * (i + 1) }, (_, n) => ({ key: `k${n}`, value: "v" })),
      );
    }
    const monitor = fx.monitor();
    await monitor.start();
    await waitFor("every topic counted", () => {
      const counted = countedPerTopic(fx.dataDir);
      return topics.every((topic, i) => counted.get(topic) === 2 * (i + 1));
    }, 30_000);
    const gone = topics[10];
    await withAdmin(fx.kafka, (admin) => admin.deleteTopics({ topics: [gone] }));
    await waitFor(
      "the topic is gone",
      async () => !(await withAdmin(fx.kafka, (admin) => admin.listTopics())).includes(gone),
    );

    for (const range of ["15m", "24h", "7d"]) {
      await t.step(
        `${range}: 8 busiest, one others, no deleted topic; at most 300 points`,
        async () => {
          const res = await get(`/monitor?range=${range}`);
          const html = await res.text();
          const props = html.match(/data-name="MonitorBoard" data-props="([^"]*)"/)?.[1];
          assert.ok(props, "the charts' island");
          const unescaped = props.replaceAll("&quot;", '"').replaceAll("&lt;", "<").replaceAll(
            "&gt;",
            ">",
          )
            .replaceAll("&#39;", "'").replaceAll("&amp;", "&");
          const report = JSON.parse(unescaped).report as TopicsReport;
          const mine = report.topics.filter((x) => x.topic.startsWith(fx.prefix) || x.others);
          const names = mine.map((x) => x.topic);
          assert.deepEqual(names.slice(0, 8), topics.slice(2, 10).reverse(), "busiest first");
          assert.ok(!names.includes(gone), "the deleted topic is not drawn");
          const others = report.topics.find((x) => x.others && !x.deadLetters);
          assert.ok(others, "an others line");
          assert.equal(others.topic, othersLabel(others.others!, false));
          assert.ok(report.topics.filter((x) => !x.deadLetters).length <= 9);
          for (const line of report.topics) {
            assert.ok(line.series.length <= 300, `${line.series.length}`);
          }
          assert.doesNotMatch(html, new RegExp(`<tr data-topic="${gone}">`), "nor in the table");
          assert.match(html, /data-deleted="\d+"/, "which says so");
          assert.match(html, new RegExp(`<tr data-topic="${topics[0]}">`), "a quiet one is listed");
          assert.equal([...html.matchAll(/class="chart-nojs"/g)].length, 4, "a note per chart");
          const api = await (await get(`/api/monitor/topics?range=${range}`))
            .json() as TopicsReport;
          const full = api.topics.find((x) => x.topic === topics[9])!;
          assert.ok(full.series.length > 300 || range === "15m", "the API keeps its resolution");
          assert.ok(full.series.length <= MAX_POINTS);
        },
      );
    }
  } finally {
    shutdown();
    await fx.close();
  }
});
