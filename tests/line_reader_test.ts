import assert from "node:assert/strict";
import { lineReader } from "./line_reader.ts";

/** A stream whose chunks the test writes. */
function source() {
  let controller!: ReadableStreamDefaultController<string>;
  const stream = new ReadableStream<string>({ start: (c) => void (controller = c) });
  return { reader: stream.getReader(), write: (s: string) => controller.enqueue(s), controller };
}

Deno.test("line reader - two callers waiting at once each get their own line, whatever the order", async () => {
  const { reader, write, controller } = source();
  const lines = lineReader(reader, "test");
  const started = lines.readLine("STARTED 1", 2_000);
  const stopped = lines.readLine("STOPPED 3", 2_000);
  write("STOPPED 3\n");
  await new Promise((r) => setTimeout(r, 20));
  write("STARTED 1\n");
  assert.deepEqual(await Promise.all([started, stopped]), ["STARTED 1", "STOPPED 3"]);
  controller.close();
});

Deno.test("line reader - the deadline holds while nothing is printed", async () => {
  const { reader, controller } = source();
  const lines = lineReader(reader, "the cluster process");
  const began = Date.now();
  await assert.rejects(lines.readLine("STOPPED 3", 150), /no "STOPPED 3" line .* within 150 ms/);
  assert.ok(Date.now() - began < 1_000);
  controller.close();
});

Deno.test("line reader - a line split across chunks, and lines read before they are asked for", async () => {
  const { reader, write, controller } = source();
  const lines = lineReader(reader, "test");
  write("READY a,b\nTLS x y\nKIL");
  await new Promise((r) => setTimeout(r, 10));
  assert.equal(await lines.readLine("TLS ", 1_000), "TLS x y");
  const killed = lines.readLine("KILLED 2", 1_000);
  write("LED 2\n");
  assert.equal(await killed, "KILLED 2");
  assert.equal(await lines.readLine("READY ", 1_000), "READY a,b");
  controller.close();
  await assert.rejects(lines.readLine("STARTED", 1_000), /no "STARTED" line/);
});

Deno.test("line reader - a process that ends without the line is said to have ended, at once", async () => {
  const { reader, write, controller } = source();
  const lines = lineReader(reader, "the cluster process");
  write("error: 127.0.0.9:59992 is already in use\n");
  controller.close();
  const began = Date.now();
  await assert.rejects(
    lines.readLine("READY ", 60_000),
    /no "READY " line from the cluster process before it ended its output; got: error: .*in use/,
  );
  assert.ok(Date.now() - began < 1_000);
});
