/**
 * A doctor run as a process exactly as `deno task consumer:doctor` runs it
 * (the launcher's command: the brokers discovered, the computed grant), on
 * a cluster, topic prefix, name and data folder of the bench's choosing;
 * what it has applied so far read from its own database (the rows, and
 * the first and last times it wrote down as received), and its pid for
 * its CPU time.
 */
import { DatabaseSync } from "node:sqlite";
import { doctorConsumerName } from "../services/demands/consumer.ts";
import { consumerDataDir } from "../shared/consumer/main.ts";
import { readEnv } from "../shared/core/config.ts";
import { launchCommand } from "../tasks/launch.ts";
import { LAUNCHER_ENV } from "../tasks/programs.ts";
import { ROOT } from "../kafka/ensure.ts";

/** One doctor to run. */
export interface DoctorSpec {
  /** How the bench names it (`one-1`, `sharded-2`…). */
  label: string;
  /** `DOCTOR_NAME`: names its group (`doctor-<name>`, suffixed by the prefix) and folder. */
  doctorName: string;
  /** `DATA_DIR`: its folder is `<dataDir>/doctor-<name>/`. */
  dataDir: string;
}

/** What a doctor's database holds so far. */
export interface Applied {
  rows: number;
  /** The first and last `received_at` (epoch ms), when there are rows. */
  firstMs?: number;
  lastMs?: number;
}

/** A running doctor process. */
export class DoctorProcess {
  readonly spec: DoctorSpec;
  readonly pid: number;
  /** Set once it has exited. */
  exited?: Deno.CommandStatus;
  readonly #child: Deno.ChildProcess;
  readonly #reading: Promise<void>;
  readonly #dbPath: string;
  #db?: DatabaseSync;
  #output = "";

  private constructor(spec: DoctorSpec, child: Deno.ChildProcess) {
    this.spec = spec;
    this.#child = child;
    this.pid = child.pid;
    const name = doctorConsumerName(spec.doctorName);
    this.#dbPath = `${consumerDataDir(spec.dataDir, name)}/${name}.db`;
    const keep = async (stream: ReadableStream<Uint8Array<ArrayBuffer>>) => {
      for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
        this.#output = (this.#output + chunk).slice(-4_000);
      }
    };
    this.#reading = Promise.all([keep(child.stdout), keep(child.stderr)]).then(() => {});
    child.status.then((status) => this.exited = status);
  }

  /** Starts it on the cluster `brokers`, its topics under `prefix`. */
  static async launch(
    spec: DoctorSpec,
    cluster: { brokers: string[]; prefix: string },
  ): Promise<DoctorProcess> {
    const env: Record<string, string> = {
      ...readEnv(LAUNCHER_ENV) as Record<string, string>,
      KAFKA_BROKERS: cluster.brokers.join(","),
      DATA_DIR: spec.dataDir,
      DOCTOR_NAME: spec.doctorName,
      FRESHET_TOPIC_PREFIX: cluster.prefix,
      LOG_LEVEL: "warn",
    };
    const launch = await launchCommand("consumer:doctor", [], env);
    const child = new Deno.Command("deno", {
      args: launch.args,
      cwd: ROOT,
      env: { ...env, ...launch.env },
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    return new DoctorProcess(spec, child);
  }

  /** The last 4,000 characters it printed. */
  output(): string {
    return this.#output;
  }

  /** Rows in its database and their first and last received times (none before it made it). */
  applied(): Applied {
    const db = this.#open();
    if (!db) return { rows: 0 };
    const row = db.prepare(
      "SELECT count(*) AS rows, min(received_at) AS first, max(received_at) AS last FROM demands",
    ).get() as { rows: number; first: string | null; last: string | null };
    return {
      rows: Number(row.rows),
      firstMs: row.first ? Date.parse(row.first) : undefined,
      lastMs: row.last ? Date.parse(row.last) : undefined,
    };
  }

  /** The partitions of `topic` whose demands it holds. */
  partitions(topic: string): number[] {
    const rows = this.#open()?.prepare(
      "SELECT DISTINCT partition FROM demands WHERE topic = ? ORDER BY partition",
    ).all(topic) as { partition: number }[] | undefined;
    return (rows ?? []).map((r) => Number(r.partition));
  }

  /** Its database read-only, once it has made it and its tables. */
  #open(): DatabaseSync | undefined {
    if (this.#db) return this.#db;
    let db: DatabaseSync;
    try {
      db = new DatabaseSync(this.#dbPath, { readOnly: true });
    } catch {
      return undefined; // not made yet
    }
    const made = db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'demands'").get();
    if (!made) {
      db.close();
      return undefined;
    }
    return this.#db = db;
  }

  /** SIGTERM, then SIGKILL after `graceMs`; waits for its end. */
  async stop(graceMs = 30_000): Promise<Deno.CommandStatus> {
    this.#db?.close();
    this.#db = undefined;
    const signal = (name: Deno.Signal) => {
      try {
        this.#child.kill(name);
      } catch { /* already ended */ }
    };
    if (!this.exited) signal("SIGTERM");
    const timer = setTimeout(() => signal("SIGKILL"), graceMs);
    try {
      const status = await this.#child.status;
      await this.#reading;
      return status;
    } finally {
      clearTimeout(timer);
    }
  }
}
