/**
 * Runs a launcher program (tasks/programs.ts) as a child of `deno task
 * dev` or `deno task test`, with the same grant `deno task <name>` gives it.
 */
import { launchCommand } from "./launch.ts";

/** Starts program `name` with its grant; output goes to this process's. */
export async function spawnProgram(name: string, args: string[] = []): Promise<Deno.ChildProcess> {
  const command = await launchCommand(name, args);
  return new Deno.Command("deno", {
    args: command.args,
    env: command.env,
    stdin: "null",
    stdout: "inherit",
    stderr: "inherit",
  }).spawn();
}

/** Runs program `name` to its end; throws when it fails. */
export async function runProgram(name: string, args: string[] = []): Promise<void> {
  const status = await (await spawnProgram(name, args)).status;
  if (!status.success) throw new Error(`deno task ${name} failed (exit ${status.code})`);
}
