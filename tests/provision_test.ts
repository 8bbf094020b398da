/**
 * Topic and ACL provisioning against the real broker: idempotence, growing
 * partitions, drift, config alteration, extra ACLs and pruning, and files
 * with bad lines. Every test uses its own random topics and temp files.
 */
import assert from "node:assert/strict";
import { ConfigResourceTypes } from "kafkajs";
import { withAdmin } from "../shared/kafka/client.ts";
import {
  deleteBindings,
  listBindings,
  provision,
  ProvisionFileError,
  type ProvisionItem,
  type ProvisionResult,
} from "../shared/provision/mod.ts";
import { adminKafka, randomName } from "./helpers.ts";
import { PRINCIPALS } from "../freshet.ts";

const kafka = adminKafka();

/** Temp topics and ACL files for one test, and clean-up of what they created. */
async function fixture(prefix: string) {
  const dir = await Deno.makeTempDir({ prefix: "freshet-provision-" });
  const topicsFile = `${dir}/kafka-topics.txt`;
  const aclsFile = `${dir}/kafka-acls.txt`;
  await Deno.writeTextFile(topicsFile, "");
  await Deno.writeTextFile(aclsFile, "");
  const run = async (files: { topics?: string; acls?: string }, options = {}) => {
    if (files.topics !== undefined) await Deno.writeTextFile(topicsFile, files.topics);
    if (files.acls !== undefined) await Deno.writeTextFile(aclsFile, files.acls);
    return await provision({
      principals: PRINCIPALS,
      topicsFile,
      aclsFile,
      kafka,
      resourcePrefix: prefix,
      ...options,
    });
  };
  const cleanUp = async () => {
    await withAdmin(kafka, async (admin) => {
      const mine = (await admin.listTopics()).filter((t) => t.startsWith(prefix));
      if (mine.length > 0) await admin.deleteTopics({ topics: mine });
      const bindings = (await listBindings(admin)).filter((b) => b.resourceName.startsWith(prefix));
      await deleteBindings(admin, bindings);
    });
    await Deno.remove(dir, { recursive: true });
  };
  return { topicsFile, aclsFile, run, cleanUp };
}

function names(items: ProvisionItem[], kind: ProvisionItem["kind"]): string[] {
  return items.filter((i) => i.kind === kind).map((i) => i.name).sort();
}

function details(items: ProvisionItem[], name: string): string[] {
  return items.filter((i) => i.name === name).map((i) => i.detail ?? "");
}

function assertNoErrors(result: ProvisionResult): void {
  assert.deepEqual(result.errors, [], JSON.stringify(result.errors));
}

async function partitionCount(topic: string): Promise<number> {
  return await withAdmin(kafka, async (admin) => {
    const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
    return topics[0].partitions.length;
  });
}

async function topicConfig(topic: string, name: string): Promise<string | undefined> {
  return await withAdmin(kafka, async (admin) => {
    const answer = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configNames: [name] }],
    });
    return answer.resources[0].configEntries.find((e) => e.configName === name)?.configValue;
  });
}

Deno.test("provisioning - applying twice changes nothing the second time", async () => {
  const prefix = randomName("t");
  const f = await fixture(prefix);
  try {
    const topics = `${prefix}.a 3 auto\n${prefix}.b 1 1 cleanup.policy=compact\n`;
    const acls = `web topic:${prefix}.a WRITE,DESCRIBE\nweb group:${prefix}-* READ\n`;
    const first = await f.run({ topics, acls });
    assertNoErrors(first);
    assert.deepEqual(names(first.created, "topic"), [`${prefix}.a`, `${prefix}.b`]);
    assert.equal(names(first.created, "acl").length, 3);
    assert.equal(await partitionCount(`${prefix}.a`), 3);
    assert.equal(await topicConfig(`${prefix}.b`, "cleanup.policy"), "compact");

    const second = await f.run({});
    assertNoErrors(second);
    assert.deepEqual(second.created, []);
    assert.deepEqual(second.changed, []);
    assert.deepEqual(second.drift, []);
    assert.deepEqual(names(second.unchanged, "topic"), [`${prefix}.a`, `${prefix}.b`]);
    assert.deepEqual(names(second.unchanged, "acl"), names(first.created, "acl"));
  } finally {
    await f.cleanUp();
  }
});

Deno.test("provisioning - partitions grow, a shrink is drift left as is", async (t) => {
  const prefix = randomName("t");
  const topic = `${prefix}.grow`;
  const f = await fixture(prefix);
  try {
    assertNoErrors(await f.run({ topics: `${topic} 1 1\n` }));
    await t.step("1 → 3 grows the topic", async () => {
      const result = await f.run({ topics: `${topic} 3 1\n` });
      assertNoErrors(result);
      assert.deepEqual(details(result.changed, topic), ["grew 1→3 partitions"]);
      assert.equal(await partitionCount(topic), 3);
    });
    await t.step("3 → 2 is reported, not applied", async () => {
      const result = await f.run({ topics: `${topic} 2 1\n` });
      assertNoErrors(result);
      assert.deepEqual(details(result.drift, topic), [
        "has 3 partitions, file says 2; Kafka cannot shrink — left as is",
      ]);
      assert.deepEqual(result.changed, []);
      assert.equal(await partitionCount(topic), 3);
    });
    await t.step("a replication factor the topic lacks is drift", async () => {
      const result = await f.run({ topics: `${topic} 3 2\n` });
      assert.match(details(result.drift, topic)[0], /has replication factor 1, file says 2/);
    });
    await t.step("a new topic needing more brokers than exist is an error", async () => {
      const result = await f.run({ topics: `${topic} 3 1\n${prefix}.wide 1 99\n` });
      assert.match(details(result.errors, `${prefix}.wide`)[0], /needs 99 brokers/);
      assert.deepEqual(names(result.unchanged, "topic"), [topic]);
    });
  } finally {
    await f.cleanUp();
  }
});

Deno.test("provisioning - config drift is altered, other overrides are kept and reported", async () => {
  const prefix = randomName("t");
  const topic = `${prefix}.cfg`;
  const f = await fixture(prefix);
  try {
    assertNoErrors(await f.run({ topics: `${topic} 1 1 retention.ms=3600000\n` }));
    await withAdmin(kafka, (admin) =>
      admin.alterConfigs({
        validateOnly: false,
        resources: [{
          type: ConfigResourceTypes.TOPIC,
          name: topic,
          configEntries: [
            { name: "retention.ms", value: "7200000" },
            { name: "max.message.bytes", value: "2000000" },
          ],
        }],
      }));

    const dry = await f.run({}, { dryRun: true });
    assertNoErrors(dry);
    assert.deepEqual(details(dry.changed, topic), [
      "config retention.ms 7200000→3600000 (would alter)",
    ]);
    assert.equal(await topicConfig(topic, "retention.ms"), "7200000");

    const result = await f.run({});
    assertNoErrors(result);
    assert.deepEqual(details(result.changed, topic), [
      "config retention.ms 7200000→3600000 (altered)",
    ]);
    assert.deepEqual(details(result.drift, topic), [
      "config max.message.bytes=2000000 is set on the broker, not in the file — left as is",
    ]);
    assert.equal(await topicConfig(topic, "retention.ms"), "3600000");
    assert.equal(await topicConfig(topic, "max.message.bytes"), "2000000");

    const unknown = await f.run({ topics: `${topic} 1 1 retention.ms=3600000 no.such.config=1\n` });
    assert.deepEqual(details(unknown.errors, topic), [
      "config no.such.config is unknown to the broker",
    ]);
  } finally {
    await f.cleanUp();
  }
});

Deno.test("provisioning - extra ACL bindings are reported, removed only with prune", async () => {
  const prefix = randomName("t");
  const f = await fixture(prefix);
  try {
    const kept = `doctor topic:${prefix}.x READ`;
    assertNoErrors(
      await f.run({
        topics: `${prefix}.x 1 1\n`,
        acls: `${kept}\ndoctor topic:${prefix}.x WRITE\n`,
      }),
    );
    const extra = `doctor topic:${prefix}.x WRITE allow`;

    const reported = await f.run({ acls: `${kept}\n` });
    assertNoErrors(reported);
    assert.deepEqual(names(reported.drift, "acl"), [extra]);
    assert.deepEqual(names(reported.unchanged, "acl"), [`${kept} allow`]);

    const dry = await f.run({}, { prune: true, dryRun: true });
    assert.deepEqual(details(dry.changed, extra), ["extra: would remove"]);

    const pruned = await f.run({}, { prune: true });
    assertNoErrors(pruned);
    assert.deepEqual(details(pruned.changed, extra), ["extra: removed"]);
    const left = await withAdmin(kafka, listBindings);
    assert.equal(left.filter((b) => b.resourceName === `${prefix}.x`).length, 1);
  } finally {
    await f.cleanUp();
  }
});

Deno.test("provisioning - a dry run creates nothing", async () => {
  const prefix = randomName("t");
  const f = await fixture(prefix);
  try {
    const result = await f.run({
      topics: `${prefix}.dry 2 1\n`,
      acls: `web topic:${prefix}.dry WRITE\nweb topic:${prefix}.typo READ\n`,
    }, { dryRun: true });
    assertNoErrors(result);
    assert.ok(result.dryRun);
    assert.deepEqual(names(result.created, "topic"), [`${prefix}.dry`]);
    assert.deepEqual(names(result.created, "acl"), [
      `web topic:${prefix}.dry WRITE allow`,
      `web topic:${prefix}.typo READ allow`,
    ]);
    assert.deepEqual(details(result.drift, `topic:${prefix}.typo`), [
      "named on line 2 but not defined in the topics file",
    ]);
    await withAdmin(kafka, async (admin) => {
      assert.ok(!(await admin.listTopics()).includes(`${prefix}.dry`));
      assert.ok(!(await listBindings(admin)).some((b) => b.resourceName === `${prefix}.dry`));
    });
  } finally {
    await f.cleanUp();
  }
});

Deno.test("provisioning - a bad line in either file stops before the broker", async (t) => {
  const prefix = randomName("t");
  const f = await fixture(prefix);
  const rejects = async (files: { topics: string; acls: string }, expected: string[]) => {
    const error = await f.run(files).then(() => null, (e) => e);
    assert.ok(error instanceof ProvisionFileError, `expected a ProvisionFileError, got ${error}`);
    assert.deepEqual(error.problems.map((p: string) => p.slice(0, p.indexOf(": "))), expected);
    assert.ok(!(await withAdmin(kafka, (admin) => admin.listTopics())).includes(`${prefix}.ok`));
  };
  try {
    await t.step(
      "bad partitions",
      () =>
        rejects({ topics: `# c\n${prefix}.ok 1 1\n\nbad x 1\n`, acls: "" }, [
          `${f.topicsFile}:4`,
        ]),
    );
    await t.step(
      "unknown principal",
      () =>
        rejects({ topics: `${prefix}.ok 1 1\n`, acls: `\n\neve topic:${prefix}.ok READ\n` }, [
          `${f.aclsFile}:3`,
        ]),
    );
    await t.step(
      "unknown operation",
      () =>
        rejects({ topics: `${prefix}.ok 1 1\n`, acls: `web topic:${prefix}.ok SEND\n` }, [
          `${f.aclsFile}:1`,
        ]),
    );
    await t.step(
      "problems of both files together",
      () =>
        rejects({ topics: `${prefix}.ok 1 1\n${prefix}.ok 2 1\n`, acls: "web tpic:x READ\n" }, [
          `${f.topicsFile}:2`,
          `${f.aclsFile}:1`,
        ]),
    );
    await t.step("the message says file:line: reason", async () => {
      const error = await f.run({ topics: `ok 1 1\nbad 1 x\n`, acls: "" }).catch((e) => e);
      assert.equal(
        error.message,
        `${f.topicsFile}:2: replication factor must be a positive integer or "auto" (got "x")`,
      );
    });
  } finally {
    await f.cleanUp();
  }
});
