/**
 * TLS to the broker, against the local broker's SASL_SSL listener
 * (127.0.0.1:9093 and its CA, from shared/kafka/local_tls.ts): SCRAM and
 * PLAIN logins, a producer and the console's message browser in process;
 * `deno task start` (every consumer Worker, the monitor, a demand's round
 * trip, the console's browser) and a consumer task, launched with network
 * permission for the TLS listener only; kafka:cli and kcat; and every way
 * TLS can fail (a wrong CA, no CA, a name the certificate does not cover,
 * an expired certificate, TLS to the plaintext port, plaintext to the TLS
 * port, a client certificate from a stranger) refused at once, naming the
 * broker and the problem, whichever way the program was started.
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { consumerEntries } from "../freshet.ts";
import { consumerRunFlags } from "../shared/consumer/workers.ts";
import { createIdempotentProducer, withAdmin } from "../shared/kafka/client.ts";
import { LOCAL_BROKER } from "../shared/kafka/config.ts";
import {
  LOCAL_CA_FILE,
  LOCAL_TLS_BROKER,
  localCaPath,
  localTlsEnv,
} from "../shared/kafka/local_tls.ts";
import { diagnoseBroker } from "../shared/kafka/tls_diagnosis.ts";
import type { KafkaTlsError } from "../shared/kafka/tls_errors.ts";
import { loadKafkaConfig } from "../shared/kafka/config.ts";
import { LogClient } from "../shared/kafka/wire/log_client.ts";
import { DiscoveryError } from "../shared/permissions/discover.ts";
import { launchCommand } from "../tasks/launch.ts";
import { basic, TEST_PASSWORDS, testAuth } from "./auth_helpers.ts";
import { createTopics, type DenoRun, randomName, runDeno, waitFor } from "./helpers.ts";
import { launch, spawnLaunched } from "./launched.ts";
import { assertLoginFoldersGone, loginFolders } from "./kafka_cli_login_folders.ts";
import { createWorldApp, prefixedWorld } from "./prefixed_world.ts";
import {
  clientCertificates,
  expiredServerCertificate,
  forwarder,
  tlsKafka,
  tlsServer,
  traditionalKey,
} from "./tls_helpers.ts";

const TLS_DIR = localCaPath().replace(/\/ca\.pem$/, "");

/** `deno task kafka:cli <args>` with `env` over the local TLS settings. */
function kafkaCli(
  args: string[],
  options: { env?: Record<string, string>; stdin?: string } = {},
): Promise<DenoRun> {
  return runDeno(["task", "kafka:cli", ...args], {
    env: { ...localTlsEnv(), ...options.env },
    stdin: options.stdin,
  });
}

function expectExit(run: DenoRun, code = 0): string {
  assert.equal(run.code, code, `exit ${run.code}\n${run.stdout}\n${run.stderr}`);
  return run.stdout;
}

Deno.test("TLS - SCRAM and PLAIN log in, a producer writes and the console's message browser reads over SASL_SSL", async (t) => {
  assert.ok(await Deno.stat(localCaPath()), `the local broker's CA at ${LOCAL_CA_FILE}`);
  const admin = tlsKafka("admin");
  const topic = randomName("tls");
  const drop = await createTopics(admin, [{ topic, numPartitions: 3 }]);
  const dataDir = await Deno.makeTempDir({ prefix: "freshet-tls-" });
  try {
    await t.step("SCRAM-SHA-256 and PLAIN; the cluster advertises its TLS listener", async () => {
      for (const mechanism of ["scram-sha-256", "plain"]) {
        const cluster = await withAdmin(
          tlsKafka("web", { KAFKA_SASL_MECHANISM: mechanism }),
          (a) => a.describeCluster(),
        );
        assert.deepEqual(cluster.brokers.map((b) => `${b.host}:${b.port}`), [LOCAL_TLS_BROKER]);
      }
    });

    await t.step("an idempotent producer writes 30 records over TLS", async () => {
      const producer = createIdempotentProducer(admin);
      await producer.connect();
      try {
        await producer.send({
          topic,
          messages: Array.from({ length: 30 }, (_, i) => ({ key: `k${i % 5}`, value: `v${i}` })),
        });
      } finally {
        await producer.disconnect();
      }
    });

    await t.step("the console's message browser reads them through its route", async () => {
      const env = localTlsEnv();
      const { app, shutdown } = await createWorldApp({ dataDir, prefix: "" }, {
        env,
        consoleEnv: env,
        auth: testAuth(),
      });
      try {
        const res = await app.fetch(
          new Request(`http://127.0.0.1/api/topics/${topic}/messages?seek=oldest&limit=50`, {
            headers: basic("viewer"),
          }),
        );
        const page = await res.json();
        assert.equal(res.status, 200, JSON.stringify(page));
        const values = page.messages.map((m: { value: { text: string } }) => m.value.text);
        assert.deepEqual(
          values.toSorted(),
          Array.from({ length: 30 }, (_, i) => `v${i}`).toSorted(),
        );
      } finally {
        shutdown();
      }
    });

    await t.step(
      "the log client (Fetch on KafkaJS's connections) reads the watermarks",
      async () => {
        const log = new LogClient(tlsKafka("console"));
        try {
          const marks = await log.watermarks(topic);
          assert.equal([...marks.values()].reduce((sum, w) => sum + w.high - w.low, 0), 30);
        } finally {
          await log.close();
        }
      },
    );
  } finally {
    await drop();
    await Deno.remove(dataDir, { recursive: true });
  }
});

/** A demand's row in a doctor's database, if there. */
function storedDemand(dataDir: string, doctor: string, id: string): boolean {
  try {
    const db = new DatabaseSync(`${dataDir}/doctor-${doctor}/doctor-${doctor}.db`, {
      readOnly: true,
    });
    try {
      return db.prepare("SELECT 1 FROM demands WHERE id = ?").get(id) !== undefined;
    } finally {
      db.close();
    }
  } catch {
    return false;
  }
}

Deno.test({
  name:
    "TLS - deno task start and a consumer task, granted only the TLS listener: every Worker runs, a demand goes round, the console reads it",
  sanitizeResources: false,
  async fn(t) {
    const world = await prefixedWorld({
      label: "tls",
      topics: [
        "demands.created",
        "demands.assumed",
        "orders.created",
        "orders.paid",
        "orders.failed",
        "clients",
        "products",
        "contas",
      ],
      principals: ["web", "doctor", "orders", "payments", "balances"],
    });
    const suffix = randomName("").slice(1).replace(/[^a-z0-9]/g, "");
    const env = {
      ...localTlsEnv(),
      DATA_DIR: world.dataDir,
      FRESHET_TOPIC_PREFIX: world.prefix,
      DOCTOR_NAME: `tls${suffix}`,
      HOST: "127.0.0.1",
      PORT: "0",
      FRESHET_VIEWER_PASSWORD: TEST_PASSWORDS.viewer,
      FRESHET_OPERATOR_PASSWORD: TEST_PASSWORDS.operator,
    };
    let server: Awaited<ReturnType<typeof launch>> | undefined;
    let alone: Awaited<ReturnType<typeof launch>> | undefined;
    try {
      await t.step(
        "the grant: the TLS listener and the CA file, not the plaintext port",
        async () => {
          const command = await launchCommand("start", [], env);
          const net = command.args.find((a) => a.startsWith("--allow-net="))!.split("=")[1];
          assert.deepEqual(net.split(",").filter((h) => !h.startsWith("unix:")), [
            LOCAL_TLS_BROKER,
            "127.0.0.1",
          ]);
          const read = command.args.find((a) => a.startsWith("--allow-read="))!;
          assert.ok(read.split("=")[1].split(",").includes(localCaPath()), read);
        },
      );

      await t.step(
        "deno task topics: the launcher's own process passes the TLS variables on",
        async () => {
          const run = await runDeno(["task", "topics", "--dry-run"], { env: localTlsEnv() });
          assert.equal(run.code, 0, run.stdout + run.stderr);
          assert.match(run.stdout, /topics: 0 created, \d+ unchanged/);
        },
      );

      let url = "";
      await t.step("every consumer Worker starts and /health is green", async () => {
        server = await launch("start", { env });
        await server.waitForOutput(/Freshet is running at (http:\S+) \(consumers: /, 150_000);
        url = server.output().match(/Freshet is running at (http:\S+) \(consumers:/)![1];
        const names = consumerEntries(env).map((e) => e.name);
        await waitFor("/health green with every consumer running", async () => {
          const res = await fetch(`${url}/health`);
          const body = await res.json();
          const running = body.consumers.filter((c: { state: string }) => c.state === "running");
          return res.status === 200 && running.length === names.length;
        }, 90_000);
      });

      let id = "";
      await t.step(
        "a demand: produced by the web principal, stored by the doctor Worker",
        async () => {
          const res = await fetch(`${url}/api/demands`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({
              type: "emergency",
              location: { lat: -22.9, lng: -43.2 },
              metadata: { priority: "high" },
            }),
          });
          const created = await res.json();
          assert.equal(res.status, 201, JSON.stringify(created));
          id = created.demand.id;
          await waitFor("the demand stored", async () => {
            const found = await fetch(`${url}/api/demands/${id}`);
            await found.body?.cancel();
            return found.status === 200;
          }, 60_000);
        },
      );

      await t.step("the console's message browser shows it", async () => {
        const res = await fetch(
          `${url}/api/topics/${world.topic("demands.created")}/messages?limit=10`,
          { headers: basic("viewer") },
        );
        const page = await res.json();
        assert.equal(res.status, 200, JSON.stringify(page));
        assert.ok(page.messages.some((m: { key: { text: string } }) => m.key.text === id));
      });

      await t.step("deno task consumer:doctor alone stores it too", async () => {
        const doctor = `tlsalone${suffix}`;
        alone = await launch("consumer:doctor", { env: { ...env, DOCTOR_NAME: doctor } });
        await alone.waitForOutput(new RegExp(`\\[consumer:doctor-${doctor}\\] consuming`), 90_000);
        await waitFor(
          "the demand in its own database",
          () => storedDemand(world.dataDir, doctor, id),
        );
        assert.equal((await alone.stop()).code, 0, alone.output().slice(-2000));
      });
    } finally {
      await alone?.stop();
      if (server) assert.equal((await server.stop()).code, 0, server.output().slice(-3000));
      await world.close();
    }
  },
});

Deno.test({
  name: "TLS - kafka:cli (a PEM truststore) and kcat (PLAIN) over SASL_SSL",
  sanitizeResources: false,
  async fn(t) {
    const topic = randomName("tls-cli");
    try {
      await t.step("kafka-topics, console producer and consumer over TLS", async () => {
        expectExit(await kafkaCli(["kafka-topics", "--create", "--topic", topic]));
        expectExit(
          await kafkaCli(["kafka-console-producer", "--topic", topic], { stdin: "one\ntwo\n" }),
        );
        const read = expectExit(
          await kafkaCli([
            "kafka-console-consumer",
            ...["--topic", topic, "--from-beginning", "--max-messages", "2"],
          ]),
        );
        assert.deepEqual(read.trim().split("\n").sort(), ["one", "two"]);
        const monitor = expectExit(await kafkaCli(["--as", "monitor", "kafka-topics", "--list"]));
        assert.ok(monitor.split("\n").includes(topic));
      });

      await t.step("kcat (librdkafka) produces with PLAIN and the CA file", async () => {
        const kcat = await new Deno.Command("kcat", {
          args: [
            ...["-b", LOCAL_TLS_BROKER, "-X", "security.protocol=SASL_SSL"],
            ...["-X", "sasl.mechanisms=PLAIN", "-X", "sasl.username=admin"],
            ...["-X", "sasl.password=admin-secret", "-X", `ssl.ca.location=${localCaPath()}`],
            ...["-P", "-t", topic],
          ],
          stdin: "piped",
          stdout: "piped",
          stderr: "piped",
        }).spawn();
        const writer = kcat.stdin.getWriter();
        await writer.write(new TextEncoder().encode("three\n"));
        await writer.close();
        const out = await kcat.output();
        assert.ok(out.success, new TextDecoder().decode(out.stderr));
        const log = new LogClient(tlsKafka("admin"));
        try {
          const marks = await log.watermarks(topic);
          assert.equal([...marks.values()].reduce((sum, w) => sum + w.high, 0), 3);
        } finally {
          await log.close();
        }
      });
    } finally {
      await withAdmin(tlsKafka("admin"), (a) => a.deleteTopics({ topics: [topic] }));
    }
  },
});

/** One way TLS fails: the variables, the broker it concerns and what the message must say. */
interface Refusal {
  name: string;
  env: Record<string, string>;
  broker: string;
  code: string;
  says: RegExp;
}

/** The TLS fault an in-process client meets, and how long it took. */
async function faultOf(env: Record<string, string>): Promise<{ fault: KafkaTlsError; ms: number }> {
  const started = Date.now();
  let seen: (fault: KafkaTlsError) => void = () => {};
  const fault = new Promise<KafkaTlsError>((resolve) => (seen = resolve));
  const kafka = tlsKafka("admin", env, { onTlsFailure: (f) => seen(f), retries: 0 });
  const attempt = withAdmin(kafka, (a) => a.describeCluster()).catch(() => {});
  const found = await Promise.race([
    fault,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error("no TLS fault in 10 s")), 10_000)
    ),
  ]);
  await attempt;
  return { fault: found, ms: Date.now() - started };
}

Deno.test({
  name: "TLS - every failure is refused at once, naming the broker and the problem",
  sanitizeResources: false,
  async fn(t) {
    const dir = await Deno.makeTempDir({ prefix: "freshet-tls-refusals-" });
    const certs = await clientCertificates(dir, TLS_DIR);
    const expired = await expiredServerCertificate(dir, "127.0.0.3");
    const old = tlsServer("127.0.0.3", expired);
    const other = forwarder("127.0.0.2", LOCAL_TLS_BROKER);
    const refusals: Refusal[] = [
      {
        name: "a CA file of another CA",
        env: { KAFKA_SSL_CA_FILE: certs.stranger.cert },
        broker: LOCAL_TLS_BROKER,
        code: "TLS_UNKNOWN_CA",
        says:
          /its certificate \(CN=localhost, issued by CN=Freshet local CA \w+\) is not signed by a CA in the CA file KAFKA_SSL_CA_FILE=.*stranger\.pem \(CN=stranger\)/,
      },
      {
        name: "no CA file: the system's CAs",
        env: { KAFKA_SSL_CA_FILE: "", KAFKA_SSL: "true" },
        broker: LOCAL_TLS_BROKER,
        code: "TLS_UNKNOWN_CA",
        says: /is not signed by a CA in the system's trusted CAs \(KAFKA_SSL_CA_FILE is not set\)/,
      },
      {
        name: "an address the certificate does not cover",
        env: { KAFKA_BROKERS: other.address },
        broker: other.address,
        code: "TLS_HOSTNAME_MISMATCH",
        says: /is for IP Address:127\.0\.0\.1, DNS:localhost, not 127\.0\.0\.2/,
      },
      {
        name: "an expired certificate",
        env: { KAFKA_BROKERS: old.address, KAFKA_SSL_CA_FILE: expired.ca },
        broker: old.address,
        code: "TLS_CERT_EXPIRED",
        says: /its certificate \(CN=old-broker, issued by CN=Old test CA\) expired on 2020-02-01/,
      },
      {
        name: "TLS to the plaintext port",
        env: { KAFKA_BROKERS: LOCAL_BROKER },
        broker: LOCAL_BROKER,
        code: "TLS_TO_PLAINTEXT_PORT",
        says: /it answers without TLS \(a plaintext listener\)/,
      },
      {
        name: "plaintext to the TLS port",
        env: { KAFKA_SSL: "false", KAFKA_SSL_CA_FILE: "" },
        broker: LOCAL_TLS_BROKER,
        code: "PLAINTEXT_TO_TLS_PORT",
        says: /it speaks TLS and the client does not\. Set KAFKA_SSL=true/,
      },
      {
        name: "a client certificate from a stranger",
        env: { KAFKA_SSL_CERT_FILE: certs.stranger.cert, KAFKA_SSL_KEY_FILE: certs.stranger.key },
        broker: LOCAL_TLS_BROKER,
        code: "TLS_CLIENT_CERT_REFUSED",
        says: /the broker refused the client certificate of KAFKA_SSL_CERT_FILE/,
      },
    ];
    const loginsBefore = loginFolders();
    try {
      for (const refusal of refusals) {
        const env = { ...localTlsEnv(), ...refusal.env };
        const named = new RegExp(
          `^TLS to the Kafka broker ${refusal.broker.replaceAll(".", "\\.")} failed: `,
        );
        await t.step(`${refusal.name}: a client in process`, async () => {
          const { fault, ms } = await faultOf(refusal.env);
          assert.equal(fault.code, refusal.code, fault.message);
          assert.equal(fault.retriable, false);
          assert.match(fault.message, named);
          assert.match(fault.message, refusal.says);
          assert.ok(ms < 5_000, `${ms} ms`);
        });
        await t.step(`${refusal.name}: a task, stopped by the launcher`, async () => {
          const refused = await launchCommand("topics", [], env).then(
            () => assert.fail("the launcher should refuse"),
            (error: unknown) => error,
          );
          assert.ok(refused instanceof DiscoveryError, String(refused));
          assert.equal(refused.code, refusal.code);
          assert.match(refused.message, named);
          assert.match(refused.message, refusal.says);
        });
        await t.step(`${refusal.name}: kafka:cli, before Java starts`, async () => {
          const run = await kafkaCli(["kafka-topics", "--list"], { env: refusal.env });
          assert.equal(run.code, 1, run.stdout + run.stderr);
          assert.match(run.stderr, new RegExp(`kafka:cli: ${named.source.slice(1)}`));
          assert.match(run.stderr, refusal.says);
        });
      }
      await t.step(
        "kafka:cli left no login folder behind",
        () => assertLoginFoldersGone(loginsBefore),
      );

      await t.step(
        "a program started past the launcher stops within seconds, naming it",
        async () => {
          const entry = consumerEntries({}).find((e) => e.task === "doctor")!;
          const flags = consumerRunFlags(entry, {
            dataDir: dir,
            brokers: [LOCAL_TLS_BROKER],
            tlsFiles: [certs.stranger.cert],
          });
          const started = Date.now();
          const doctor = spawnLaunched(["run", ...flags, new URL(entry.url).pathname], {
            ...localTlsEnv(),
            KAFKA_SSL_CA_FILE: certs.stranger.cert,
            DATA_DIR: dir,
            FRESHET_TOPIC_PREFIX: `${randomName("tls")}.`,
          });
          try {
            const status = await Promise.race([
              doctor.status,
              new Promise<never>((_, reject) =>
                setTimeout(() => reject(new Error(`still running:\n${doctor.output()}`)), 30_000)
              ),
            ]);
            assert.equal(status.code, 1, doctor.output());
            assert.match(
              doctor.output(),
              /error: TLS to the Kafka broker 127\.0\.0\.1:9093 failed: its certificate .* is not signed by a CA in the CA file/,
            );
            console.log(`TLS refused past the launcher after ${Date.now() - started} ms`);
          } finally {
            await doctor.stop();
          }
        },
      );

      await t.step(
        "KAFKA_SSL_REJECT_UNAUTHORIZED=false lets the uncovered address through",
        async () => {
          const config = loadKafkaConfig("admin", {
            ...localTlsEnv(),
            KAFKA_BROKERS: other.address,
            KAFKA_SSL_REJECT_UNAUTHORIZED: "false",
          });
          assert.equal(await diagnoseBroker(other.address, config.ssl), undefined);
        },
      );
    } finally {
      other.close();
      old.close();
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name:
    "TLS - mutual TLS: a client certificate from the broker's CA logs in, in process and through kafka:cli (its key in either format)",
  sanitizeResources: false,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "freshet-mtls-" });
    try {
      const { trusted } = await clientCertificates(dir, TLS_DIR);
      const env = { KAFKA_SSL_CERT_FILE: trusted.cert, KAFKA_SSL_KEY_FILE: trusted.key };
      assert.equal(
        await diagnoseBroker(
          LOCAL_TLS_BROKER,
          loadKafkaConfig("admin", { ...localTlsEnv(), ...env }).ssl,
        ),
        undefined,
      );
      const cluster = await withAdmin(tlsKafka("admin", env), (a) => a.describeCluster());
      assert.equal(cluster.brokers.length, 1);
      const listed = expectExit(await kafkaCli(["kafka-topics", "--list"], { env }));
      assert.ok(listed.split("\n").includes("orders.created"), listed);
      // Java's PEM keystore takes PKCS#8 only: kafka:cli converts a key in RSA's own format.
      const rsaKey = await traditionalKey(dir, trusted.key);
      const converted = expectExit(
        await kafkaCli(["kafka-topics", "--list"], { env: { ...env, KAFKA_SSL_KEY_FILE: rsaKey } }),
      );
      assert.ok(converted.split("\n").includes("orders.created"), converted);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
