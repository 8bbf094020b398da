/** Reads a task of deno.json as the arguments of its `deno` command. */

/**
 * The arguments of `deno task <name>`'s command, with `$PWD` (the project
 * folder, as `deno task` expands it) substituted; the tasks use no quoting.
 */
export async function taskArgs(name: string): Promise<string[]> {
  const root = new URL("..", import.meta.url).pathname.replace(/\/$/, "");
  const config = JSON.parse(await Deno.readTextFile(`${root}/deno.json`));
  const command: string | undefined = config.tasks?.[name];
  if (!command) throw new Error(`deno.json has no "${name}" task`);
  const [program, ...args] = command.trim().split(/\s+/);
  if (program !== "deno") throw new Error(`task "${name}" does not start with deno`);
  return args.map((arg) => arg.replaceAll("$PWD", root));
}
