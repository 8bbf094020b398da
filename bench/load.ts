/** Loads a topic with many messages quickly (admin principal, batches of 1000). */
import { Buffer } from "node:buffer";
import { CompressionTypes, type Kafka, Partitioners } from "kafkajs";

/** Produces `count` messages made by `make(i)`; reports progress each 10 %. */
export async function loadTopic(
  kafka: Kafka,
  topic: string,
  count: number,
  make: (i: number) => { key: string; value: string },
  progress: (done: number) => void = () => {},
): Promise<void> {
  const producer = kafka.producer({
    createPartitioner: Partitioners.DefaultPartitioner,
    allowAutoTopicCreation: false,
  });
  await producer.connect();
  try {
    const batch = 1_000;
    const inFlight: Promise<unknown>[] = [];
    let reported = 0;
    for (let i = 0; i < count; i += batch) {
      const messages = [];
      for (let j = i; j < Math.min(count, i + batch); j++) {
        const m = make(j);
        messages.push({ key: m.key, value: Buffer.from(m.value) });
      }
      inFlight.push(
        producer.send({ topic, acks: 1, compression: CompressionTypes.None, messages }),
      );
      if (inFlight.length >= 8) await inFlight.shift();
      if (i - reported >= count / 10) {
        progress(i);
        reported = i;
      }
    }
    await Promise.all(inFlight);
  } finally {
    await producer.disconnect();
  }
}
