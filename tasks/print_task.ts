/**
 * `deno task print <task> [args]`: the full command of a task, its
 * permission set (`-P=<set>` in deno.json) spelled out as the flags it
 * grants; for a task run through the launcher, also the command the
 * launcher would start, with the grant it computes now (the brokers the
 * cluster advertises, the data folder): what `deno task <task> --print`
 * shows.
 *
 *   deno task print dev
 *   deno task print consumer:doctor
 */
import { DiscoveryError } from "../shared/permissions/discover.ts";
import { KAFKA_HOSTS_ENV } from "../shared/permissions/kafka_hosts.ts";
import { runMain } from "../shared/core/config.ts";
import { launchCommand } from "./launch.ts";
import type { PermissionSet } from "./deno_json.ts";

/** `-P=<set>` of `line` as the flags `sets[set]` grants. */
export function expandPermissionSet(line: string, sets: Record<string, PermissionSet>): string {
  return line.replace(/(?:-P|--permission-set)=(\S+)/, (_, name: string) => {
    const set = sets[name];
    if (!set) throw new Error(`no permission set "${name}" in deno.json`);
    return Object.entries(set).map(([kind, value]) =>
      value === true ? `--allow-${kind}` : `--allow-${kind}=${(value as string[]).join(",")}`
    ).join(" ");
  });
}

if (import.meta.main) {
  await runMain(async () => {
    const [name, ...args] = Deno.args;
    const config = JSON.parse(await Deno.readTextFile(new URL("../deno.json", import.meta.url)));
    const line: string | undefined = config.tasks?.[name ?? ""];
    if (!line) {
      console.error(
        `usage: deno task print <task> [args]; tasks: ${Object.keys(config.tasks).join(", ")}`,
      );
      Deno.exit(2);
    }
    console.log([expandPermissionSet(line, config.permissions ?? {}), ...args].join(" "));
    const launched = line.match(/tasks\/launch\.ts (\S+)$/)?.[1];
    if (!launched) return;
    try {
      const command = await launchCommand(launched, args);
      console.log(
        `  which runs:\n${KAFKA_HOSTS_ENV}=${command.env[KAFKA_HOSTS_ENV]} deno ${
          command.args.join(" ")
        }`,
      );
    } catch (error) {
      if (!(error instanceof DiscoveryError)) throw error;
      console.log(`  which runs the program with a grant computed at start; now: ${error.message}`);
    }
  });
}
