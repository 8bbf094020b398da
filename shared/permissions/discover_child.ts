/**
 * Runs discovery rounds in child processes, each granted the brokers known
 * so far, until the cluster's metadata was read through a granted broker.
 */
import { kafkaEnvNames } from "../kafka/config.ts";
import type { DiscoveryRound } from "./discover.ts";
import { DiscoveryError } from "./discover.ts";
import { grantFlags } from "./grant.ts";

const DISCOVER_MAIN = new URL("./discover_main.ts", import.meta.url).pathname;

/** Options of `discoverBrokers`. */
export interface DiscoverBrokersOptions {
  /** The principal whose credentials log in. */
  principal: string;
  /** The configured bootstrap brokers. */
  bootstrap: string[];
  /** Files the child reads (the TLS files: CA, client certificate and key). */
  read?: string[];
  /** Most rounds (default 4: the bootstrap, then each newly learnt set of brokers). */
  maxRounds?: number;
  /** Variables for the child (credentials, TLS), over this process's environment. */
  env?: Record<string, string | undefined>;
}

/** The brokers to grant and the cluster's id. */
export interface Discovered {
  brokers: string[];
  clusterId: string;
}

async function round(options: DiscoverBrokersOptions, brokers: string[]): Promise<DiscoveryRound> {
  const output = await new Deno.Command("deno", {
    args: [
      "run",
      ...grantFlags({
        net: brokers,
        read: options.read ?? [],
        write: [],
        env: [...kafkaEnvNames(options.principal), "LOG_LEVEL"],
      }),
      DISCOVER_MAIN,
      options.principal,
    ],
    env: {
      ...Object.fromEntries(
        Object.entries(options.env ?? {}).filter((e): e is [string, string] => e[1] !== undefined),
      ),
      KAFKA_BROKERS: options.bootstrap.join(","),
    },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(output.stdout).trim().split("\n").at(-1) ?? "";
  let answer: DiscoveryRound & { error?: string; code?: string };
  try {
    answer = JSON.parse(text);
  } catch {
    const stderr = new TextDecoder().decode(output.stderr).trim();
    throw new DiscoveryError(`broker discovery failed: ${stderr || text || `exit ${output.code}`}`);
  }
  if (answer.error) throw new DiscoveryError(answer.error, answer.code);
  return answer;
}

/** Discovers every broker of the cluster reachable through `bootstrap`. */
export async function discoverBrokers(options: DiscoverBrokersOptions): Promise<Discovered> {
  let brokers = [...options.bootstrap];
  for (let i = 0; i < (options.maxRounds ?? 4); i++) {
    const found = await round(options, brokers);
    if (found.needs.length === 0 && found.clusterId !== undefined) {
      return { brokers: found.brokers, clusterId: found.clusterId };
    }
    brokers = found.brokers;
  }
  throw new DiscoveryError(
    `the cluster kept advertising brokers that could not be reached: ${brokers.join(",")}`,
  );
}
