/**
 * Lines of a child process's output, waited for by prefix. One pump reads
 * the output into one buffer and wakes every waiter, so callers waiting at
 * the same time (a fault and a scheduled restart of the campaign) each find
 * their own line, and a deadline holds while the process prints nothing.
 */

/** Waits for output lines by prefix. */
export interface LineReader {
  /** The first unread line starting with `prefix` (removed), or an error after `timeoutMs`. */
  readLine(prefix: string, timeoutMs: number): Promise<string>;
}

/** A LineReader over `reader` (text chunks); `what` names the process in errors. */
export function lineReader(reader: ReadableStreamDefaultReader<string>, what: string): LineReader {
  let buffer = "";
  let ended = false;
  const waiters = new Set<() => void>();
  const wake = () => {
    for (const w of waiters) w();
    waiters.clear();
  };
  (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        wake();
      }
    } catch { /* the pipe closed with the process */ }
    ended = true;
    wake();
  })();
  return {
    async readLine(prefix, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const lines = buffer.split("\n");
        const index = lines.findIndex((l, i) => l.startsWith(prefix) && i < lines.length - 1);
        if (index >= 0) {
          const line = lines[index];
          lines.splice(index, 1);
          buffer = lines.join("\n");
          return line;
        }
        const left = deadline - Date.now();
        if (ended || left <= 0) break;
        let timer: ReturnType<typeof setTimeout> | undefined;
        await new Promise<void>((resolve) => {
          waiters.add(resolve);
          timer = setTimeout(resolve, left);
        }).finally(() => clearTimeout(timer));
      }
      const why = ended ? "before it ended its output" : `within ${timeoutMs} ms`;
      throw new Error(`no "${prefix}" line from ${what} ${why}; got: ${buffer.slice(-500)}`);
    },
  };
}
