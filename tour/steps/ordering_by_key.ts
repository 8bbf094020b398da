/**
 * Step 2 — partitions and ordering by key: keyed messages sent
 * interleaved, then read back: every message of a key is in one partition,
 * in the order it was sent; different keys spread over the partitions.
 */
import { createIdempotentProducer } from "../../shared/kafka/client.ts";
import { readRange } from "../../shared/kafka/topic_reader.ts";
import { table } from "../output.ts";
import type { StepReport, Tour, TourStep } from "../tour.ts";
import { ORDERS_TOPIC } from "./broker_and_topic.ts";

/** The keys the step sends, three events each. */
export const ORDER_KEYS = ["pedido-1", "pedido-2", "pedido-3", "pedido-4", "pedido-5", "pedido-6"];

const EVENTS = ["PedidoCriado", "PedidoPago", "PedidoEnviado"];

/** Step 2. */
export const orderingByKey: TourStep = {
  title: "Partitions and ordering by key",
  concept:
    "Each message goes to one partition: chosen from its key (a hash of the key modulo the " +
    "partition count), or spread when it has none. Kafka keeps order only within a partition — " +
    "so all events of one key, in one partition, stay in the order they were sent.",
  async run(tour: Tour): Promise<StepReport> {
    const topic = tour.topic(ORDERS_TOPIC);
    const producer = tour.track(createIdempotentProducer(tour.admin));
    await producer.connect();
    for (const [seq, event] of EVENTS.entries()) {
      await producer.send({
        topic,
        messages: ORDER_KEYS.map((key) => ({
          key,
          value: JSON.stringify({ event, pedido: key, seq: seq + 1 }),
        })),
      });
    }
    await tour.close(producer);

    const { messages, complete } = await readRange(tour.admin, {
      groupId: tour.group("leitura-ordem"),
      topics: [topic],
      from: "earliest",
    });
    tour.check(
      complete && messages.length === ORDER_KEYS.length * EVENTS.length,
      `all ${ORDER_KEYS.length * EVENTS.length} messages were read back`,
      `read ${messages.length}`,
    );
    const rows: (string | number)[][] = [["key", "partition", "offsets", "events in log order"]];
    const partitionsUsed = new Set<number>();
    const split: string[] = [];
    const reordered: string[] = [];
    for (const key of ORDER_KEYS) {
      const mine = messages.filter((m) => m.key === key).sort((a, b) => a.offset - b.offset);
      if (new Set(mine.map((m) => m.partition)).size !== 1) split.push(key);
      const seqs = mine.map((m) => JSON.parse(new TextDecoder().decode(m.value!)).seq);
      if (seqs.join() !== "1,2,3") reordered.push(`${key}: ${seqs.join()}`);
      partitionsUsed.add(mine[0].partition);
      rows.push([key, mine[0].partition, mine.map((m) => m.offset).join(","), seqs.join(" → ")]);
    }
    tour.check(split.length === 0, "all the messages of a key are in one partition", split.join());
    tour.check(
      reordered.length === 0,
      "each key's events are in the partition in the order they were sent",
      reordered.join("; "),
    );
    tour.check(partitionsUsed.size > 1, "the keys spread over more than one partition");
    return {
      did: [
        `Sent ${EVENTS.length} rounds of events for ${ORDER_KEYS.length} orders, interleaved ` +
        `(${EVENTS.join(", ")}), keyed by order, to ${topic}; read everything back:`,
        ...table(rows),
      ],
      notice: [
        "The same key always lands in the same partition (the partitioner hashes the key), so one " +
        "order's events are read in the order they happened, whoever reads them.",
        "Offsets count per partition: 0, 1, 2… in each one. There is no order between partitions — " +
        "a consumer may see pedido-2's events before pedido-1's.",
        "Key by what must stay in order (Freshet keys orders by orderId, balances by account).",
      ],
      commands: [
        `deno task kafka:cli kafka-console-consumer --topic ${topic} --from-beginning ` +
        "--formatter-property print.key=true --formatter-property print.partition=true " +
        "--formatter-property print.offset=true --timeout-ms 5000",
        `deno task kafka:cli kafka-get-offsets --topic ${topic}`,
      ],
    };
  },
};
