/**
 * Programs started in tests exactly as their `deno task` starts them: the
 * launcher's command (discovered brokers, computed grant), run as a real
 * process whose output the test can wait on and which it can kill.
 */
import { launchCommand } from "../tasks/launch.ts";

/** A launched program: its process, its output so far, and a way to wait on it. */
export interface Launched {
  child: Deno.ChildProcess;
  /** stdout and stderr, as received. */
  output(): string;
  /** Resolves when the output matches `pattern` (rejects after `timeoutMs` or on exit). */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** Resolves with the exit status. */
  status: Promise<Deno.CommandStatus>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when the process is gone. */
  stop(graceMs?: number): Promise<Deno.CommandStatus>;
}

/** Starts `deno task <name>`'s program with `env` (merged over this process's environment). */
export async function launch(
  name: string,
  options: { env?: Record<string, string>; args?: string[] } = {},
): Promise<Launched> {
  const env = options.env ?? {};
  const command = await launchCommand(name, options.args ?? [], env);
  return spawnLaunched(command.args, { ...env, ...command.env });
}

/** Runs `deno <args>` with `env`, collecting its output. */
export function spawnLaunched(args: string[], env: Record<string, string>): Launched {
  const child = new Deno.Command("deno", {
    args,
    env,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let text = "";
  const listeners = new Set<() => void>();
  const pump = async (stream: ReadableStream<Uint8Array>) => {
    const decoder = new TextDecoder();
    for await (const chunk of stream) {
      text += decoder.decode(chunk, { stream: true });
      for (const listener of listeners) listener();
    }
  };
  const pumps = Promise.all([pump(child.stdout), pump(child.stderr)]);
  const status = child.status.then(async (s) => {
    await pumps;
    for (const listener of listeners) listener();
    return s;
  });
  let exited = false;
  status.then(() => (exited = true));
  return {
    child,
    output: () => text,
    status,
    waitForOutput(pattern, timeoutMs = 60_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (pattern.test(text)) done(resolve);
          else if (exited) done(() => reject(new Error(`exited before ${pattern}:\n${text}`)));
        };
        const timer = setTimeout(
          () => done(() => reject(new Error(`timed out waiting for ${pattern}:\n${text}`))),
          timeoutMs,
        );
        const done = (fn: () => void) => {
          clearTimeout(timer);
          listeners.delete(check);
          fn();
        };
        listeners.add(check);
        check();
      });
    },
    async stop(graceMs = 20_000) {
      if (!exited) {
        try {
          child.kill("SIGTERM");
        } catch { /* gone */ }
        const timer = setTimeout(() => {
          try {
            child.kill("SIGKILL");
          } catch { /* gone */ }
        }, graceMs);
        await status;
        clearTimeout(timer);
      }
      return await status;
    },
  };
}
