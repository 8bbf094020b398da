/**
 * The campaign's consumer processes, each started as its `deno task`
 * starts it (tests/launched.ts) or, for the sink, with the same grant a
 * consumer task gets: killed (SIGKILL), paused (SIGSTOP) and continued,
 * stopped (SIGTERM, its exit code and how long it took kept), started again.
 */
import { consumerRunFlags } from "../../../shared/consumer/workers.ts";
import { sinkEntry } from "../../fixtures/sink_consumer.ts";
import { launch, type Launched, spawnLaunched } from "../../launched.ts";

/** How to start one program. */
export interface ProgramSpec {
  name: string;
  /** A `deno task` program (`consumer:doctor`), or `sink`. */
  task: string;
  env: Record<string, string>;
}

/** A program the campaign runs, with what happened to it. */
export class Program {
  readonly spec: ProgramSpec;
  current?: Launched;
  /** Stops that did not end with code 0, and stops over 25 s. */
  readonly badStops: string[] = [];
  paused = false;
  #exited = true;
  #brokers: string[];
  #dataDir: string;
  #logs: string[] = [];

  constructor(spec: ProgramSpec, options: { brokers: string[]; dataDir: string }) {
    this.spec = spec;
    this.#brokers = options.brokers;
    this.#dataDir = options.dataDir;
  }

  /**
   * Starts it (once the previous run ended); resolves when it says it
   * consumes. The launcher's discovery of the brokers may fail while a
   * fault is on (a broker cut off): it is tried again for a minute.
   */
  async start(extraEnv: Record<string, string> = {}): Promise<void> {
    const env = { ...this.spec.env, ...extraEnv };
    for (let attempt = 1;; attempt++) {
      try {
        this.current = this.spec.task === "sink"
          ? spawnLaunched([
            "run",
            ...consumerRunFlags(sinkEntry, { dataDir: this.#dataDir, brokers: this.#brokers }),
            sinkEntry.url.pathname,
          ], env)
          : await launch(this.spec.task, { env });
        break;
      } catch (error) {
        if (attempt >= 20) throw error;
        await new Promise((r) => setTimeout(r, 3_000));
      }
    }
    this.paused = false;
    this.#exited = false;
    const launched = this.current;
    launched.status.then(() => {
      if (this.current === launched) this.#exited = true;
    });
    await this.current.waitForOutput(/\] consuming /, 120_000).catch((error) => {
      this.#logs.push(this.current?.output() ?? "");
      throw new Error(`${this.spec.name}: ${error.message}`);
    });
  }

  /** Whether its process is running (paused counts). */
  get alive(): boolean {
    return this.current !== undefined && !this.exited;
  }

  get exited(): boolean {
    return this.#exited;
  }

  /** SIGKILL, then waits for the end. */
  async kill(): Promise<void> {
    if (!this.current) return;
    this.signal("SIGKILL");
    await this.current.status;
    this.#logs.push(this.current.output());
    this.current = undefined;
    this.paused = false;
  }

  /** SIGSTOP or SIGCONT. */
  pause(on: boolean): void {
    this.signal(on ? "SIGSTOP" : "SIGCONT");
    this.paused = on;
  }

  /** SIGTERM, and how long it took to end; a non-zero exit is noted. */
  async stop(): Promise<number> {
    if (!this.current) return 0;
    if (this.paused) this.pause(false);
    const started = Date.now();
    const status = await this.current.stop(40_000);
    const ms = Date.now() - started;
    if (status.code !== 0 || ms > 25_000) {
      this.badStops.push(
        `${this.spec.name}: exit ${status.code} after ${ms} ms\n${
          this.current.output().slice(-2_000)
        }`,
      );
    }
    this.#logs.push(this.current.output());
    this.current = undefined;
    return ms;
  }

  /** Its output across every run. */
  output(): string {
    return [...this.#logs, this.current?.output() ?? ""].join("\n--- restart ---\n");
  }

  signal(signal: Deno.Signal): void {
    try {
      this.current?.child.kill(signal);
    } catch { /* gone */ }
  }
}
