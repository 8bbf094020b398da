/**
 * A prototype, not the kernel: the doctor's work split over two threads.
 * KafkaJS fetches, and each value is decoded and validated with the
 * doctor's schema, on this thread; a Worker (`two_thread_apply.ts`) owns the
 * database and applies chunks of 2,000 (rows and offset in one
 * transaction) while the next fetch is decoded. At most two chunks are in
 * flight, so memory stays bounded. It measures how far a runner that
 * applies on a second thread could take the doctor; failures, retries,
 * dead letters and rebalances are left out (a chunk that fails stops the
 * measurement).
 */
import type { Kafka } from "kafkajs";
import { type Demand, demandSchema } from "../services/demands/demand.ts";
import { decodeValue } from "../shared/consumer/decode.ts";
import { startWindow, type Throughput } from "./measure.ts";
import type { ApplyReply, ApplyRequest } from "./two_thread_apply.ts";

const CHUNK = 2_000;
const IN_FLIGHT = 2;

/** Messages per second from the first message fetched to the `count`-th row stored. */
export async function twoThreadDoctorThroughput(
  kafka: Kafka,
  options: { topic: string; count: number; dataDir: string },
): Promise<Throughput> {
  const worker = new Worker(new URL("./two_thread_apply.ts", import.meta.url), { type: "module" });
  const consumer = kafka.consumer({
    groupId: `bench-two-thread-${crypto.randomUUID().slice(0, 8)}`,
    maxBytesPerPartition: 1_048_576,
    maxWaitTimeInMs: 100,
  });
  try {
    let stored = 0;
    let inFlight = 0;
    let slotFreed: (() => void) | undefined;
    let window: ReturnType<typeof startWindow> | undefined;
    let opened!: () => void;
    let finish!: { resolve: (t: Throughput) => void; reject: (e: Error) => void };
    const ready = new Promise<void>((resolve) => (opened = resolve));
    const finished = new Promise<Throughput>((resolve, reject) => (finish = { resolve, reject }));
    worker.onmessage = ({ data }: MessageEvent<ApplyReply>) => {
      if (data.type === "opened") return opened();
      if (data.type === "failed") return finish.reject(new Error(data.error));
      stored += data.count;
      inFlight--;
      slotFreed?.();
      if (stored >= options.count) finish.resolve(window!.end(options.count));
    };
    const dir = await Deno.makeTempDir({ dir: options.dataDir, prefix: "two-thread-" });
    post(worker, { type: "open", path: `${dir}/doctor.db` });
    await ready;

    const next = new Map<number, number>();
    await consumer.connect();
    await consumer.subscribe({ topics: [options.topic], fromBeginning: true });
    await consumer.run({
      eachBatch: async ({ batch, resolveOffset }) => {
        window ??= startWindow();
        const messages = batch.messages;
        for (let start = 0; start < messages.length; start += CHUNK) {
          const chunk = messages.slice(start, start + CHUNK);
          const demands: Demand[] = chunk.map((m) => decodeValue(m.value, demandSchema));
          const offsets = chunk.map((m) => Number(m.offset));
          while (inFlight >= IN_FLIGHT) await new Promise<void>((r) => (slotFreed = r));
          inFlight++;
          const expected = next.get(batch.partition);
          next.set(batch.partition, offsets[offsets.length - 1] + 1);
          post(worker, {
            type: "apply",
            topic: batch.topic,
            partition: batch.partition,
            expected,
            offsets,
            demands,
          });
        }
        resolveOffset(batch.lastOffset());
      },
    });
    const timeout = setTimeout(
      () => finish.reject(new Error("two-thread doctor timed out")),
      300_000,
    );
    try {
      return await finished;
    } finally {
      clearTimeout(timeout);
    }
  } finally {
    await consumer.disconnect();
    worker.terminate();
  }
}

function post(worker: Worker, request: ApplyRequest): void {
  worker.postMessage(request);
}
