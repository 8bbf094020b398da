/**
 * What every step of the tour (`deno task tour`) works with: the live
 * broker as the admin principal, names of its own under one random run id
 * (`tour-1a2b3c4d.` for topics, `tour-1a2b3c4d-` for groups), checks that
 * fail loudly, and a cleanup that removes every topic, group, ACL binding
 * and file of the run — whatever happened.
 */
import type { Kafka } from "kafkajs";
import { createKafka, withAdmin } from "../shared/kafka/client.ts";
import { type KafkaConfig, loadKafkaConfig } from "../shared/kafka/config.ts";
import type { Principal } from "../shared/kafka/principals.ts";
import {
  applyTopics,
  deleteBindings,
  listBindings,
  parseTopicsFile,
} from "../shared/provision/mod.ts";

/** What a step reports once it ran: what it did, what to notice, how to see it yourself. */
export interface StepReport {
  did: string[];
  notice: string[];
  /** Equivalent `deno task kafka:cli …` commands (work while the run's topics exist). */
  commands: string[];
}

/** One step of the tour: a concept of seed 002, shown on the live broker. */
export interface TourStep {
  title: string;
  /** The concept in a sentence or two, as the learning plan states it. */
  concept: string;
  run(tour: Tour): Promise<StepReport>;
}

/** A claim the tour made that the broker did not bear out. */
export class TourCheckError extends Error {
  constructor(readonly claim: string, readonly detail: string) {
    super(`${claim}: ${detail}`);
    this.name = "TourCheckError";
  }
}

/** Something with a connection to close at cleanup (a client, a consumer runner). */
export interface Closable {
  stop?(): Promise<void>;
  disconnect?(): Promise<void>;
}

/** What `cleanup` removed. */
export interface CleanupReport {
  topics: string[];
  groups: string[];
  bindings: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One run of the tour. */
export class Tour {
  /** The run id: every topic is `<run>.<name>`, every group `<run>-<name>`. */
  readonly run: string;
  /** Admin-principal client (the super user): set-up, inspection, cleanup. */
  readonly admin: Kafka;
  readonly adminConfig: KafkaConfig;
  /** Folder of the run's files (the consumer runner's SQLite). */
  readonly dataDir: string;
  /** Claims checked in the step running now. */
  checked: string[] = [];
  /** Prints a progress line during a step (e.g. while waiting for the broker). */
  say: (text: string) => void;
  #open = new Set<Closable>();

  constructor(
    options: {
      run: string;
      dataDir: string;
      adminConfig?: KafkaConfig;
      say?: (text: string) => void;
    },
  ) {
    this.run = options.run;
    this.say = options.say ?? (() => {});
    this.dataDir = options.dataDir;
    this.adminConfig = options.adminConfig ?? loadKafkaConfig("admin");
    this.admin = createKafka(this.adminConfig, { clientSuffix: "tour", quiet: true });
  }

  /** A topic name of this run. */
  topic(name: string): string {
    return `${this.run}.${name}`;
  }

  /** A group name of this run. */
  group(name: string): string {
    return `${this.run}-${name}`;
  }

  /** A quiet client logged in as `principal` (optionally with another password), no retries. */
  kafkaAs(principal: Principal, options: { password?: string } = {}): Kafka {
    const config = loadKafkaConfig(principal);
    if (options.password !== undefined && config.sasl) {
      config.sasl = { ...config.sasl, password: options.password };
    }
    return createKafka(config, { clientSuffix: "tour", quiet: true, retries: 0 });
  }

  /**
   * Creates topics from kafka-topics.txt lines (`name partitions replication
   * [key=value…]`) with the provisioning code that applies that file.
   */
  async createTopics(lines: string[]): Promise<void> {
    const specs = parseTopicsFile(lines.join("\n"), { fileName: "tour" });
    const result = await withAdmin(this.admin, (admin) => applyTopics(admin, specs));
    if (result.errors.length > 0 || result.created.length !== specs.length) {
      throw new Error(`could not create ${lines.join("; ")}: ${JSON.stringify(result.errors)}`);
    }
  }

  /** Keeps `client` to close at cleanup if the step does not (a failed step). */
  track<T extends Closable>(client: T): T {
    this.#open.add(client);
    return client;
  }

  /** Closes `client` now. */
  async close(client: Closable): Promise<void> {
    this.#open.delete(client);
    await (client.stop?.() ?? client.disconnect?.());
  }

  /** Records `claim` as checked, or throws TourCheckError with `detail`. */
  check(ok: boolean, claim: string, detail = "it did not"): void {
    if (!ok) throw new TourCheckError(claim, detail);
    this.checked.push(claim);
  }

  /** Waits until `condition` holds (polling), then records `claim`; fails after `timeoutMs`. */
  async eventually(
    claim: string,
    condition: () => boolean | Promise<boolean>,
    options: { timeoutMs?: number; detail?: () => string } = {},
  ): Promise<void> {
    const timeoutMs = options.timeoutMs ?? 20_000;
    const deadline = Date.now() + timeoutMs;
    while (!(await condition())) {
      if (Date.now() > deadline) {
        const detail = options.detail?.() ?? "it did not";
        throw new TourCheckError(claim, `${detail} (waited ${timeoutMs / 1000} s)`);
      }
      await sleep(200);
    }
    this.checked.push(claim);
  }

  /**
   * Closes what is still open, then deletes the run's ACL bindings, groups
   * and topics (found by name on the broker, so nothing is forgotten) and
   * its files. Each part is tried even if another fails.
   */
  async cleanup(): Promise<CleanupReport> {
    for (const client of [...this.#open]) {
      await this.close(client).catch(() => {});
    }
    const report: CleanupReport = { topics: [], groups: [], bindings: 0 };
    await withAdmin(this.admin, async (admin) => {
      const bindings = (await listBindings(admin)).filter((b) =>
        b.resourceName.startsWith(this.run)
      );
      await deleteBindings(admin, bindings).catch(() => {});
      report.bindings = bindings.length;
      const groups = (await admin.listGroups()).groups.map((g) => g.groupId)
        .filter((id) => id.startsWith(`${this.run}-`));
      if (groups.length > 0) await admin.deleteGroups(groups).catch(() => {});
      report.groups = groups;
      const topics = (await admin.listTopics()).filter((t) => t.startsWith(`${this.run}.`));
      if (topics.length > 0) await admin.deleteTopics({ topics }).catch(() => {});
      report.topics = topics;
    });
    await Deno.remove(this.dataDir, { recursive: true }).catch(() => {});
    return report;
  }
}

/** A new run id, e.g. `tour-1a2b3c4d`. */
export function newRunId(): string {
  return `tour-${crypto.randomUUID().slice(0, 8)}`;
}
