/**
 * A small structured logger: one line per event, `LOG_LEVEL` (debug, info,
 * warn, error) sets the threshold. Fields are printed as `key=value`.
 */

const LEVELS = { debug: 10, info: 20, warn: 30, error: 40 } as const;
/** Logger severities, lowest first. */
export type LogLevel = keyof typeof LEVELS;

function envLevel(): LogLevel {
  const granted =
    Deno.permissions.querySync({ name: "env", variable: "LOG_LEVEL" }).state === "granted";
  const value = granted ? Deno.env.get("LOG_LEVEL")?.toLowerCase() : undefined;
  return value && value in LEVELS ? value as LogLevel : "info";
}

let threshold: LogLevel = envLevel();

/** Changes the threshold for every logger of this process or Worker. */
export function setLogLevel(level: LogLevel): void {
  threshold = level;
}

/** A logger bound to a scope such as `consumer:doctor`. */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  child(scope: string): Logger;
}

function format(value: unknown): string {
  if (value instanceof Error) return JSON.stringify(value.message);
  if (typeof value === "string") return /^[\w.:/@-]*$/.test(value) ? value : JSON.stringify(value);
  return JSON.stringify(value);
}

/** Creates a logger for `scope`. */
export function createLogger(scope: string): Logger {
  const write = (level: LogLevel) => (message: string, fields?: Record<string, unknown>) => {
    if (LEVELS[level] < LEVELS[threshold]) return;
    const extra = fields
      ? Object.entries(fields).filter(([, v]) => v !== undefined)
        .map(([k, v]) => ` ${k}=${format(v)}`).join("")
      : "";
    const line = `${new Date().toISOString()} ${
      level.toUpperCase().padEnd(5)
    } [${scope}] ${message}${extra}`;
    if (level === "error" || level === "warn") console.error(line);
    else console.log(line);
  };
  return {
    debug: write("debug"),
    info: write("info"),
    warn: write("warn"),
    error: write("error"),
    child: (sub) => createLogger(`${scope}:${sub}`),
  };
}
