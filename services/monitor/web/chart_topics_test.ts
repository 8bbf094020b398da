import assert from "node:assert/strict";
import { chartTopicOf, chartTopics, othersLabel } from "./chart_topics.ts";
import type { TopicsReport, TopicTraffic } from "./types.ts";

function topic(name: string, perBucket: number): TopicTraffic {
  return {
    topic: name,
    messages: perBucket * 30,
    bytes: perBucket * 300,
    rate: perBucket,
    deadLetters: name.endsWith(".dlq"),
    series: [0, 1, 2].map((i) => [i * 1_000, perBucket, perBucket * 10]),
  };
}

function report(topics: TopicTraffic[]): TopicsReport {
  return {
    range: "15m",
    step: 1_000,
    from: 0,
    to: 3_000,
    sampleMs: 1_000,
    columns: ["t", "messagesPerSecond", "bytesPerSecond"],
    topics,
  };
}

Deno.test("chart topics - the busiest lines, one 'others', quiet and deleted topics left out", async (t) => {
  const many = Array.from({ length: 12 }, (_, i) => topic(`t${String(i).padStart(2, "0")}`, i + 1));
  await t.step("the top N by traffic, the rest summed", () => {
    const chart = chartTopics(report(many), { top: 8 });
    const names = chart.topics.map((x) => x.topic);
    assert.deepEqual(names.slice(0, 8), ["t11", "t10", "t09", "t08", "t07", "t06", "t05", "t04"]);
    assert.equal(names[8], othersLabel(4, false));
    const others = chart.topics[8];
    assert.equal(others.others, 4);
    assert.deepEqual(others.series[0], [0, 1 + 2 + 3 + 4, 10 + 20 + 30 + 40]);
    assert.equal(others.messages, (1 + 2 + 3 + 4) * 30);
  });
  await t.step("one topic past N is drawn, not an 'others' of one", () => {
    assert.equal(chartTopics(report(many.slice(0, 9)), { top: 8 }).topics.length, 9);
    assert.ok(!chartTopics(report(many.slice(0, 9)), { top: 8 }).topics.some((x) => x.others));
  });
  await t.step("deleted and quiet topics are not drawn; dead letters get their own lines", () => {
    const chart = chartTopics(
      report([topic("gone", 50), topic("quiet", 0), topic("live", 2), topic("live.dlq", 1)]),
      { exists: (name) => name !== "gone" },
    );
    assert.deepEqual(chart.topics.map((x) => x.topic), ["live", "live.dlq"]);
  });
  await t.step("a live delta goes to its line, or to its chart's 'others'", () => {
    const drawn = chartTopics(report([...many, topic("a.dlq", 1)]), { top: 8 }).topics;
    assert.equal(chartTopicOf("t11", drawn), "t11");
    assert.equal(chartTopicOf("t00", drawn), othersLabel(4, false));
    assert.equal(chartTopicOf("brand-new", drawn), othersLabel(4, false));
    assert.equal(chartTopicOf("b.dlq", drawn), "b.dlq", "no dead-letter 'others': its own line");
  });
});
