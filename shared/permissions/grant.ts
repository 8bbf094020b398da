/**
 * A grant: exactly what one program or Worker may touch. One description
 * is turned into `deno run` flags (a program started by the launcher) or
 * into a Worker's permissions (a consumer of the web server), so both ways
 * of running a service get the same rights.
 */

/** Network, files and variables one program may use. */
export interface Grant {
  /** `host:port` (brokers, the listening address) and `unix:<absolute path>` sockets. */
  net: string[];
  read: string[];
  write: string[];
  /** Variable names. */
  env: string[];
  /** Programs it may start (none by default). */
  run?: string[];
  /** System information (none by default). */
  sys?: boolean;
}

const unique = (values: string[]) => [...new Set(values.filter((v) => v !== ""))];

/** `path` made absolute against the current folder, without `./` or a trailing slash. */
export function absolutePath(path: string): string {
  const joined = path.startsWith("/") ? path : `${Deno.cwd()}/${path}`;
  const parts: string[] = [];
  for (const part of joined.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") parts.pop();
    else parts.push(part);
  }
  return `/${parts.join("/")}`;
}

/** The grant as `deno run` flags; an empty list grants nothing (the flag is left out). */
export function grantFlags(grant: Grant): string[] {
  const flags: string[] = [];
  const add = (name: string, values: string[] | undefined) => {
    const list = unique(values ?? []);
    if (list.length > 0) flags.push(`--allow-${name}=${list.join(",")}`);
  };
  add("net", grant.net);
  add("read", grant.read);
  add("write", grant.write);
  add("env", grant.env);
  add("run", grant.run);
  if (grant.sys) flags.push("--allow-sys");
  return flags;
}

/** The grant as a Worker's permissions (everything else denied). */
export function workerPermissions(grant: Grant): Deno.PermissionOptionsObject {
  return {
    net: unique(grant.net),
    read: unique(grant.read),
    write: unique(grant.write),
    env: unique(grant.env),
    run: grant.run && grant.run.length > 0 ? unique(grant.run) : false,
    sys: grant.sys ?? false,
    ffi: false,
    import: false,
  };
}
