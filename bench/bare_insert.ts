/**
 * The bare-insert limit: the rows the doctor writes for the benchmark's
 * demands, written into the doctor's own table (its migrations: same schema,
 * same indexes; `openDatabase`: same pragmas and page size) by one prepared
 * `INSERT` in transactions of the runner's size, with nothing else — no
 * Kafka, no decoding, no validation, no offsets. Every value is computed
 * before the clock starts. No consumer that keeps these rows in this table
 * can go faster on this machine, so the doctor is measured as a fraction of it.
 */
import { DOCTOR_MIGRATIONS } from "../services/demands/doctor_db.ts";
import { openDatabase, transaction } from "../shared/sqlite/sqlite.ts";
import { benchDemand } from "./bench_demand.ts";
import { startWindow, type Throughput } from "./measure.ts";

/** Options of `bareInsertLimit`. */
export interface BareInsertOptions {
  count: number;
  /** Scratch folder; the database is made in a fresh folder inside it. */
  dataDir: string;
  /** Rows per transaction (default 2,000, the runner's `maxMessagesPerTransaction`). */
  perTransaction?: number;
  /** Partitions the rows are spread over, as on the topic (default 3). */
  partitions?: number;
}

type Row = [string, string, number, number, string, string, string, string, string, number, number];

/** Rows per second of the bare prepared INSERT. */
export async function bareInsertLimit(options: BareInsertOptions): Promise<Throughput> {
  const partitions = options.partitions ?? 3;
  const base = Date.now();
  const rows: Row[] = Array.from({ length: options.count }, (_, i) => {
    const text = benchDemand(i);
    const demand = JSON.parse(text);
    return [
      demand.id,
      demand.type,
      demand.location.lat,
      demand.location.lng,
      demand.metadata.priority,
      text,
      "pending",
      new Date(base + Math.floor(i / 50)).toISOString(),
      "bench",
      i % partitions,
      Math.floor(i / partitions),
    ];
  });
  const dir = await Deno.makeTempDir({ dir: options.dataDir, prefix: "bare-insert-" });
  const db = openDatabase(`${dir}/doctor.db`, { migrations: DOCTOR_MIGRATIONS });
  try {
    const insert = db.prepare(
      `INSERT INTO demands (id, type, lat, lng, priority, payload, status, received_at, topic, partition, offset)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const size = options.perTransaction ?? 2_000;
    const window = startWindow();
    for (let start = 0; start < rows.length; start += size) {
      const end = Math.min(rows.length, start + size);
      transaction(db, () => {
        for (let i = start; i < end; i++) insert.run(...rows[i]);
      });
    }
    return window.end(options.count);
  } finally {
    db.close();
    await Deno.remove(dir, { recursive: true });
  }
}
