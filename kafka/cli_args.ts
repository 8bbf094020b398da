/**
 * The command line `deno task kafka:cli` gives a Kafka tool: the user's
 * arguments, preceded by the configured brokers and the login file unless
 * the user gave their own. Those go first because the tools built on
 * argparse4j (kafka-transactions, kafka-metadata-quorum, kafka-features)
 * take their global options only before the sub-command.
 */

/** Options naming the cluster: when given, no `--bootstrap-server` is added. */
export const BOOTSTRAP_OPTIONS = ["--bootstrap-server", "--bootstrap-controller"] as const;

/**
 * Options naming a client-properties file: when given, the login file is
 * not added (that file is then the user's to fill in). `--consumer.config`,
 * `--producer.config` and `--admin.config` are the older names some tools
 * still accept.
 */
export const CONFIG_OPTIONS = [
  "--command-config",
  "--consumer.config",
  "--producer.config",
  "--admin.config",
] as const;

/** Whether `args` holds `option`, as `--option value` or `--option=value`. */
export function hasOption(args: readonly string[], option: string): boolean {
  return args.some((arg) => arg === option || arg.startsWith(`${option}=`));
}

/** The tool's arguments: `--bootstrap-server` and `--command-config` added unless given. */
export function toolArgs(
  userArgs: readonly string[],
  added: { brokers: readonly string[]; configFile: string },
): string[] {
  const args: string[] = [];
  if (!BOOTSTRAP_OPTIONS.some((option) => hasOption(userArgs, option))) {
    args.push("--bootstrap-server", added.brokers.join(","));
  }
  if (!CONFIG_OPTIONS.some((option) => hasOption(userArgs, option))) {
    args.push("--command-config", added.configFile);
  }
  return [...args, ...userArgs];
}

/**
 * Seed 001's "ler em tempo real" command passes `--from-latest` to
 * kafka-console-consumer, an option Kafka never had (reading from the end
 * is its default): it is dropped, with a note, so the seed's command runs.
 */
export function seedCompatibleArgs(
  tool: string,
  args: readonly string[],
): { args: string[]; notes: string[] } {
  if (tool !== "kafka-console-consumer" || !args.includes("--from-latest")) {
    return { args: [...args], notes: [] };
  }
  return {
    args: args.filter((arg) => arg !== "--from-latest"),
    notes: ["--from-latest is not a Kafka option; reading from the end is the default"],
  };
}

/** What `kafka:cli`'s own arguments (before the tool's name) ask for. */
export interface CliRequest {
  /** The principal whose login is filled in (default `admin`). */
  principal: string;
  /** The tool's name as typed, e.g. `kafka-topics` (undefined: none given). */
  tool?: string;
  /** Everything after the tool's name, untouched. */
  args: string[];
  help: boolean;
}

/**
 * Splits `deno task kafka:cli [--as PRINCIPAL] <tool> [args…]`; anything
 * after the tool's name belongs to the tool.
 */
export function parseCliArgs(argv: readonly string[]): CliRequest {
  let principal = "admin";
  let i = 0;
  for (; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--as") {
      const value = argv[++i];
      if (value === undefined || value.startsWith("-")) {
        throw new Error("--as needs a principal, e.g. --as monitor");
      }
      principal = value;
    } else if (arg.startsWith("--as=")) {
      principal = arg.slice("--as=".length);
    } else if (arg === "-h" || arg === "--help") {
      return { principal, args: [], help: true };
    } else if (arg.startsWith("-")) {
      throw new Error(`unknown option ${arg} (kafka:cli options go before the tool's name)`);
    } else break;
  }
  return { principal, tool: argv[i], args: argv.slice(i + 1), help: argv[i] === undefined };
}
