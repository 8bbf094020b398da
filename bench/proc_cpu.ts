/**
 * CPU time read from Linux's /proc, for processes the bench measures from
 * outside (the brokers' JVMs, consumers launched as their tasks launch
 * them) and for the machine as a whole: a process's user + system time,
 * all its threads, from `/proc/<pid>/stat`; the machine's busy and total
 * time over every core from `/proc/stat`. Both count USER_HZ ticks, 100 a
 * second on every architecture Linux exposes to user space through /proc.
 * The files are read by a shell (ProcReader): Deno opens /proc only with
 * every permission.
 */

/** Ticks a second of /proc's CPU times (USER_HZ). */
export const TICKS_PER_SECOND = 100;

/** The machine's CPU time so far, every core summed, in ticks. */
export interface MachineTicks {
  /** Time not idle (user, nice, system, irq, softirq, steal). */
  busy: number;
  /** All of it, idle and I/O wait included. */
  total: number;
}

/**
 * A process's user + system ticks from the text of `/proc/<pid>/stat`. The
 * command name (field 2, in parentheses) may hold spaces and parentheses,
 * so the fields are counted from the last `)`: utime and stime are fields
 * 14 and 15.
 */
export function parseProcessTicks(stat: string): number {
  const close = stat.lastIndexOf(")");
  if (close < 0) throw new Error(`not a /proc/<pid>/stat line: ${stat.slice(0, 80)}`);
  const fields = stat.slice(close + 2).trim().split(/\s+/); // fields[0] is field 3 (state)
  const utime = Number(fields[14 - 3]);
  const stime = Number(fields[15 - 3]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) {
    throw new Error(`no utime/stime in /proc/<pid>/stat: ${stat.slice(0, 80)}`);
  }
  return utime + stime;
}

/**
 * The machine's busy and total ticks from the text of `/proc/stat` (its
 * `cpu` line: user nice system idle iowait irq softirq steal guest
 * guest_nice; guest time is already counted in user, so it is left out).
 */
export function parseMachineTicks(stat: string): MachineTicks {
  const line = stat.split("\n").find((l) => l.startsWith("cpu "));
  if (!line) throw new Error("/proc/stat has no cpu line");
  const [user, nice, system, idle, iowait, irq, softirq, steal] = line.trim().split(/\s+/)
    .slice(1, 9).map((n) => Number(n) || 0);
  const total = user + nice + system + idle + iowait + irq + softirq + steal;
  return { busy: total - idle - iowait, total };
}

/**
 * Reads one-line files of /proc through a shell of its own. Deno grants
 * /proc only with every permission (`--allow-all`, which no task has); the
 * bench may run `sh` (the brokers' watchdogs), and a shell's builtin `read`
 * takes a file's first line without starting a process, so one long-lived
 * `sh` answers every sample: a line of paths in, a line per path out (`-`
 * for a file that cannot be read: a process that ended), then `.`.
 */
export class ProcReader {
  readonly #child: Deno.ChildProcess;
  readonly #writer: WritableStreamDefaultWriter<Uint8Array>;
  readonly #lines: AsyncIterator<string>;
  #queue: Promise<unknown> = Promise.resolve();

  constructor() {
    this.#child = new Deno.Command("sh", {
      args: [
        "-c",
        'while IFS= read -r paths; do for p in $paths; do if IFS= read -r line < "$p"; then ' +
        'printf "%s\\n" "$line"; else echo "-"; fi; done 2>/dev/null; echo "."; done',
      ],
      stdin: "piped",
      stdout: "piped",
      stderr: "null",
    }).spawn();
    this.#writer = this.#child.stdin.getWriter();
    this.#lines = lines(this.#child.stdout)[Symbol.asyncIterator]();
  }

  /** The first line of each file (undefined for one that cannot be read), in order. */
  read(paths: string[]): Promise<(string | undefined)[]> {
    if (paths.some((p) => /\s/.test(p))) throw new Error(`no spaces in paths: ${paths.join(" ")}`);
    const answer = this.#queue.then(async () => {
      await this.#writer.write(new TextEncoder().encode(`${paths.join(" ")}\n`));
      const out: (string | undefined)[] = [];
      for (;;) {
        const next = await this.#lines.next();
        if (next.done) throw new Error("the /proc reader ended");
        if (next.value === ".") break;
        out.push(next.value === "-" ? undefined : next.value);
      }
      if (out.length !== paths.length) {
        throw new Error(`the /proc reader answered ${out.length} lines for ${paths.length} files`);
      }
      return out;
    });
    this.#queue = answer.catch(() => {});
    return answer;
  }

  /** The machine's ticks and each pid's ticks (undefined for a process that ended). */
  async ticks(
    pids: number[],
  ): Promise<{ machine: MachineTicks; processes: (number | undefined)[] }> {
    const [machine, ...processes] = await this.read([
      "/proc/stat",
      ...pids.map((pid) => `/proc/${pid}/stat`),
    ]);
    if (machine === undefined) throw new Error("/proc/stat could not be read");
    return {
      machine: parseMachineTicks(machine),
      processes: processes.map((line) => line === undefined ? undefined : parseProcessTicks(line)),
    };
  }

  /** Ends the shell. */
  async close(): Promise<void> {
    await this.#queue;
    await this.#writer.close().catch(() => {});
    await this.#child.status;
  }
}

/** The lines of a byte stream. */
async function* lines(stream: ReadableStream<Uint8Array<ArrayBuffer>>): AsyncGenerator<string> {
  let buffer = "";
  for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
    buffer += chunk;
    let end;
    while ((end = buffer.indexOf("\n")) >= 0) {
      yield buffer.slice(0, end);
      buffer = buffer.slice(end + 1);
    }
  }
}

/**
 * Pids of the running processes named `comm` whose command line holds
 * `argument` (e.g. one broker's JVM: `java` and its server.properties),
 * found by `grep` over /proc/<pid>/cmdline in a shell (see ProcReader).
 */
export async function findProcesses(
  reader: ProcReader,
  comm: string,
  argument: string,
): Promise<number[]> {
  const out = await new Deno.Command("sh", {
    args: ["-c", 'grep -lsF -e "$1" /proc/[0-9]*/cmdline; true', "sh", argument],
    stdout: "piped",
    stderr: "null",
  }).output();
  const pids = new TextDecoder().decode(out.stdout).split("\n")
    .map((line) => Number(line.match(/^\/proc\/(\d+)\/cmdline$/)?.[1]))
    .filter((pid) => Number.isInteger(pid));
  const names = await reader.read(pids.map((pid) => `/proc/${pid}/comm`));
  return pids.filter((_, i) => names[i] === comm);
}
