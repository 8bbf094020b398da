/**
 * `deno task kafka:cli` against the real broker, with the task's own
 * permissions: the seeds' `docker exec kafka kafka-X.sh --bootstrap-server
 * localhost:9092 …` commands run as `deno task kafka:cli kafka-X …`
 * (seed 001's step 2, its monitoring and troubleshooting commands, the
 * partition change of its tuning section), logged in as admin or as
 * another principal, and no login file is left behind.
 */
import assert from "node:assert/strict";
import { withAdmin } from "../shared/kafka/client.ts";
import { adminKafka, type DenoRun, randomName, runDeno } from "./helpers.ts";
import { assertLoginFoldersGone, loginFolders } from "./kafka_cli_login_folders.ts";

/** `deno task kafka:cli <args>`, with `stdin` piped in. */
function kafkaCli(
  args: string[],
  options: { stdin?: string; env?: Record<string, string> } = {},
): Promise<DenoRun> {
  return runDeno(["task", "kafka:cli", ...args], options);
}

/** The tool's output, failing with everything it printed when its exit code is not `code`. */
function expectExit(run: DenoRun, code = 0): string {
  assert.equal(run.code, code, `exit ${run.code}\n${run.stdout}\n${run.stderr}`);
  return run.stdout;
}

Deno.test({
  name: "kafka:cli - the seeds' Kafka commands run through Kafka's own tools",
  sanitizeResources: false,
  async fn(t) {
    const topic = randomName("cli");
    const group = randomName("cli-group");
    const before = loginFolders();
    try {
      await t.step("seed 001 step 2: kafka-topics --list shows the order topics", async () => {
        const topics = expectExit(await kafkaCli(["kafka-topics", "--list"])).split("\n");
        for (const name of ["orders.created", "orders.paid", "orders.failed"]) {
          assert.ok(topics.includes(name), name);
        }
      });

      await t.step("create a topic, then --alter --partitions 3 (seed 001's tuning)", async () => {
        expectExit(await kafkaCli(["kafka-topics.sh", "--create", "--topic", topic]));
        expectExit(
          await kafkaCli(["kafka-topics", "--alter", "--topic", topic, "--partitions", "3"]),
        );
        const described = expectExit(
          await kafkaCli(["kafka-topics", "--describe", "--topic", topic]),
        );
        assert.match(described, /PartitionCount: 3/);
      });

      await t.step("console producer and consumer, keys and all", async () => {
        expectExit(
          await kafkaCli(
            [
              "kafka-console-producer",
              "--topic",
              topic,
              "--reader-property",
              "parse.key=true",
              "--reader-property",
              "key.separator=:",
            ],
            { stdin: 'p-1:{"n":1}\np-2:{"n":2}\np-1:{"n":3}\n' },
          ),
        );
        const printed = expectExit(
          await kafkaCli([
            "kafka-console-consumer",
            "--topic",
            topic,
            "--from-beginning",
            "--max-messages",
            "3",
            "--group",
            group,
            "--formatter-property",
            "print.key=true",
          ]),
        );
        const lines = printed.trim().split("\n").sort();
        assert.deepEqual(lines, ['p-1\t{"n":1}', 'p-1\t{"n":3}', 'p-2\t{"n":2}']);
      });

      await t.step("seed 001's monitoring: consumer-groups --describe shows the lag", async () => {
        const described = expectExit(
          await kafkaCli(["kafka-consumer-groups", "--describe", "--group", group]),
        );
        assert.match(described, /CURRENT-OFFSET\s+LOG-END-OFFSET\s+LAG/);
        const rows = described.split("\n").filter((line) => line.startsWith(`${group} `));
        assert.equal(rows.length, 3, described);
        for (const row of rows) assert.equal(row.trim().split(/\s+/)[5], "0", row);
      });

      await t.step(
        "seed 001's troubleshooting: --reset-offsets (dry run, then --execute)",
        async () => {
          const dryRun = expectExit(
            await kafkaCli([
              "kafka-consumer-groups",
              "--reset-offsets",
              "--group",
              group,
              "--topic",
              topic,
              "--to-earliest",
            ]),
          );
          assert.match(dryRun, /NEW-OFFSET/);
          expectExit(
            await kafkaCli([
              "kafka-consumer-groups",
              "--reset-offsets",
              "--group",
              group,
              "--topic",
              topic,
              "--to-earliest",
              "--execute",
            ]),
          );
          const offsets = await withAdmin(
            adminKafka(),
            (admin) => admin.fetchOffsets({ groupId: group, topics: [topic] }),
          );
          const committed = offsets[0].partitions.map((p) => Number(p.offset));
          assert.deepEqual(committed, [0, 0, 0]);
        },
      );

      await t.step("kafka-configs and kafka-acls describe the provisioned cluster", async () => {
        const configs = expectExit(
          await kafkaCli([
            "kafka-configs",
            "--describe",
            "--entity-type",
            "topics",
            "--entity-name",
            "contas",
          ]),
        );
        assert.match(configs, /cleanup\.policy=compact/);
        const acls = expectExit(
          await kafkaCli(["kafka-acls", "--list", "--topic", "orders.created"]),
        );
        assert.match(acls, /principal=User:payments, host=\*, operation=READ/);
      });

      await t.step("--as another principal: its ACLs apply", async () => {
        const refused = await kafkaCli(
          ["--as", "balances", "kafka-console-producer", "--topic", topic],
          { stdin: "x\n" },
        );
        assert.match(
          refused.stderr,
          /TopicAuthorizationException: Not authorized to access topics/,
        );
        const monitor = expectExit(await kafkaCli(["--as", "monitor", "kafka-topics", "--list"]));
        assert.ok(monitor.split("\n").includes(topic), "monitor may describe every topic");
      });

      await t.step("a wrong password is refused by the broker", async () => {
        const run = await kafkaCli(["kafka-topics", "--list"], {
          env: { KAFKA_ADMIN_PASSWORD: "not-the-password" },
        });
        assert.notEqual(run.code, 0);
        assert.match(run.stdout + run.stderr, /Authentication failed/);
      });

      await t.step("bad usage is exit 2 with the list of tools", async () => {
        const run = await kafkaCli(["kafka-server-start"]);
        assert.equal(run.code, 2);
        assert.match(run.stderr, /unknown tool "kafka-server-start"/);
        assert.match(run.stderr, /kafka-consumer-groups/);
      });

      await t.step("no login file is left behind", () => assertLoginFoldersGone(before));
    } finally {
      await withAdmin(adminKafka(), async (admin) => {
        await admin.deleteGroups([group]).catch(() => {});
        await admin.deleteTopics({ topics: [topic] }).catch(() => {});
      });
    }
  },
});
