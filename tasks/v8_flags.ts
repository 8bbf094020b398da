/**
 * V8's flags for every program the launcher starts (`deno task start`,
 * `dev`, the standalone consumers; their Workers share them: V8's flags
 * are the process's). One: the young generation's semi-spaces are capped
 * at 8 MiB. V8 lets each isolate grow them to 16 MiB and more, so a view
 * applying a backlog on its applier Worker held two nurseries of up to
 * ~48 MiB each for threads that retain ~20 MiB. Measured on the pipelined
 * doctor through 1,000,000 demands, alternated runs: peak 430–440 → 320
 * MiB at the same rate (45–54k demands/s either way); 4 and 2 MiB saved
 * no more and cost rate; `--optimize-for-size` reached 147 MiB at a third
 * of the rate (docs/performance.md, "Memory"). The memory bench runs its
 * children with these flags too.
 */
export const V8_FLAGS: readonly string[] = ["--max-semi-space-size=8"];

/**
 * `deno run`'s argument passing V8 `flags` (by default the deployed ones):
 * the launcher passes `V8_FLAGS`, the memory bench its own choice of
 * levers, after them or instead.
 */
export function v8FlagsArg(flags: readonly string[] = V8_FLAGS): string {
  return `--v8-flags=${flags.join(",")}`;
}
