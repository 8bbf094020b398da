/**
 * Configuration from environment variables, parsed with zod.
 *
 * Every service reads a fixed list of variable names (so a Worker or a
 * standalone process can be given `--allow-env` for exactly those), and a
 * wrong value fails with the variable's name and the expected form.
 */
import { z } from "zod";
import { ProgramError } from "./errors.ts";

/** A configuration value that does not have the expected form. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  ${problems.join("\n  ")}`);
    this.name = "ConfigError";
  }
}

/** Reads the named environment variables; unset ones are left out. */
export function readEnv(names: readonly string[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of names) {
    const value = Deno.env.get(name);
    if (value !== undefined && value !== "") env[name] = value;
  }
  return env;
}

/**
 * Parses `env` with `schema`; each problem names the variable, the
 * expected form and the value that was given.
 */
export function parseEnv<S extends z.ZodObject>(
  schema: S,
  env: Record<string, string | undefined>,
): z.infer<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = String(issue.path[0] ?? "?");
    const given = env[name];
    return `${name}: ${issue.message}` +
      (given === undefined ? "" : ` (got ${JSON.stringify(given)})`);
  });
  throw new ConfigError(problems);
}

/** `host:port` list separated by commas. */
export const hostPortList = z.string().transform((value, ctx) => {
  const items = value.split(",").map((s) => s.trim()).filter(Boolean);
  const bad = items.filter((item) => !/^[A-Za-z0-9.\-\[\]:]+:\d{1,5}$/.test(item));
  if (items.length === 0 || bad.length > 0) {
    ctx.addIssue({
      code: "custom",
      message: "expected host:port[,host:port...]",
    });
    return z.NEVER;
  }
  return items;
});

/** `true`/`false` (also 1/0, yes/no). */
export const booleanFlag = z.string().transform((value, ctx) => {
  const v = value.toLowerCase();
  if (["true", "1", "yes"].includes(v)) return true;
  if (["false", "0", "no"].includes(v)) return false;
  ctx.addIssue({ code: "custom", message: "expected true or false" });
  return z.NEVER;
});

/** A TCP port number. */
export const portNumber = z.coerce.number({
  error: "expected a port number (1-65535)",
}).int("expected a port number (1-65535)").min(1, "expected a port number (1-65535)")
  .max(65535, "expected a port number (1-65535)");

/** A port to listen on: 1-65535, or 0 for any free port. */
export const listenPort = z.coerce.number({
  error: "expected a port number (0-65535; 0 picks a free one)",
}).int("expected a port number (0-65535; 0 picks a free one)")
  .min(0, "expected a port number (0-65535; 0 picks a free one)")
  .max(65535, "expected a port number (0-65535; 0 picks a free one)");

/** A positive integer, e.g. a count or a duration in milliseconds. */
export const positiveInt = z.coerce.number({ error: "expected a positive integer" })
  .int("expected a positive integer").positive("expected a positive integer");

/**
 * Runs a program's main function; a configuration error is printed as is
 * (no stack trace) and ends the process with exit code 2, an expected
 * condition (ProgramError) as one line with its exit code (default 1).
 */
export async function runMain(main: () => Promise<void> | void): Promise<void> {
  try {
    await main();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      Deno.exit(2);
    }
    if (error instanceof ProgramError) {
      console.error(`error: ${error.message}`);
      Deno.exit(error.exitCode);
    }
    throw error;
  }
}
