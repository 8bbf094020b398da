/**
 * The local Schema Registry keeps its schemas while it runs, also after its
 * connection pool has gone idle. H2's in-memory database is dropped when
 * its last connection closes unless the URL says `DB_CLOSE_DELAY=-1`; the
 * pool closes idle connections every 5 minutes by default, so a registry
 * left alone that long answered 500 ("Table VERSIONS not found") and had
 * forgotten every schema. Here the pool is told to close idle connections
 * every second (a JVM property through JAVA_TOOL_OPTIONS) so the same
 * happens within the test.
 */
import assert from "node:assert/strict";
import { signalIfRunning } from "./helpers.ts";

const SCHEMA = JSON.stringify({
  type: "record",
  name: "Idle",
  fields: [{ name: "a", type: "int" }],
});

Deno.test("local registry - schemas survive the connection pool going idle", async () => {
  const child = new Deno.Command("deno", {
    args: [
      "run",
      "--allow-run=mvn,java",
      "--allow-read=.",
      "--allow-write=.cache",
      "--allow-net=127.0.0.1",
      "--allow-env=JAVA_HOME,LOG_LEVEL",
      "registry/main.ts",
      "--port",
      "0",
    ],
    env: { JAVA_TOOL_OPTIONS: "-Dquarkus.datasource.jdbc.idle-removal-interval=1S" },
    stdin: "null",
    stdout: "piped",
    stderr: "null",
  }).spawn();
  try {
    const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    let out = "";
    const deadline = Date.now() + 180_000;
    while (!out.includes("Schema Registry ready")) {
      const { value, done } = await reader.read();
      assert.ok(!done && Date.now() < deadline, `the registry did not start: ${out}`);
      out += value;
    }
    const url = out.match(/SCHEMA_REGISTRY_URL=(\S+)/)![1];
    reader.cancel().catch(() => {});
    const subject = `idle-${crypto.randomUUID().slice(0, 8)}-value`;
    const registered = await fetch(`${url}/subjects/${subject}/versions`, {
      method: "POST",
      headers: { "content-type": "application/vnd.schemaregistry.v1+json" },
      body: JSON.stringify({ schema: SCHEMA }),
    });
    assert.equal(registered.status, 200, await registered.text());
    // Several idle-removal rounds: every pooled connection has been closed by then.
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    const versions = await fetch(`${url}/subjects/${subject}/versions`);
    const text = await versions.text();
    assert.equal(versions.status, 200, text);
    assert.deepEqual(JSON.parse(text), [1]);
  } finally {
    signalIfRunning(child, "SIGTERM");
    await child.status;
  }
});
