/**
 * A program the launcher (tasks/launch.ts) runs for a `deno task`: its
 * entry module, the principal whose login finds the cluster's brokers, and
 * its grant, computed at start from the configuration (the brokers the
 * cluster advertises, `DATA_DIR`, the TLS files). A service lists its own
 * (its CLIs) in its module; see docs/decisions.md ("Permissions: a
 * launcher, not static task lines").
 */
import { kafkaTlsFiles } from "../kafka/config.ts";
import { absolutePath, type Grant } from "../permissions/grant.ts";

/** What a program's grant is computed from. */
export interface LaunchContext {
  /** The project folder (absolute). */
  root: string;
  /** The launcher's environment (the variables it may read). */
  env: Record<string, string | undefined>;
  /** `DATA_DIR` (default `data`). */
  dataDir: string;
  /** Every broker to grant: the bootstrap list and the ones the cluster advertises. */
  brokers: string[];
}

/** One program: its task name, entry file, who logs in to Kafka, and its grant. */
export interface Program {
  /** The task name, e.g. `start` or `produce:demands`. */
  name: string;
  /** Its entry module. */
  entry: URL;
  /** The principal whose credentials find the cluster's brokers. */
  principal: string;
  grant(ctx: LaunchContext): Grant;
}

/** The TLS files the configuration names (CA, client certificate and key), absolute. */
export function launchTlsFiles(ctx: LaunchContext): string[] {
  return kafkaTlsFiles(ctx.env).map(absolutePath);
}

/** Options of `producerProgram`. */
export interface ProducerProgramOptions {
  /** The task name, e.g. `produce:demands`. */
  name: string;
  entry: URL;
  principal: string;
  /** Every variable it reads. */
  env: readonly string[];
}

/**
 * A command-line producer: network for the brokers, the TLS files, its
 * variables; no files of its own, no data folder.
 */
export function producerProgram(options: ProducerProgramOptions): Program {
  return {
    name: options.name,
    entry: options.entry,
    principal: options.principal,
    grant: (ctx) => ({
      net: ctx.brokers,
      read: launchTlsFiles(ctx),
      write: [],
      env: [...options.env],
    }),
  };
}
