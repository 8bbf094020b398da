/**
 * The parts an app's services add to its web services (services.ts
 * `WebPart`): built once, in the order given, when the app is created;
 * looked up by their declaration; closed in the reverse order at shutdown.
 */
import type { KernelServices, WebPart } from "./services.ts";

/** The built parts of one app. */
export class WebParts {
  #built = new Map<WebPart<unknown, never>, unknown>();

  /** Builds every part of `parts` with `options`; a name used twice is refused. */
  constructor(kernel: KernelServices, parts: readonly WebPart<unknown, never>[], options: unknown) {
    const names = new Set<string>();
    for (const part of parts) {
      if (names.has(part.name)) throw new Error(`two web parts are named "${part.name}"`);
      names.add(part.name);
      this.#built.set(part, part.create(kernel, options as never));
    }
  }

  /** The built `part`; throws naming it when this app has none. */
  get<T>(part: WebPart<T, never>): T {
    if (!this.#built.has(part)) {
      throw new Error(
        `this app has no web part "${part.name}" (is its service in the root list, freshet.ts?)`,
      );
    }
    return this.#built.get(part) as T;
  }

  /** Closes every part that can be, the last built first; a failure does not stop the others. */
  async close(): Promise<void> {
    const parts = [...this.#built].reverse();
    this.#built.clear();
    for (const [part, value] of parts) {
      try {
        await part.close?.(value as never);
      } catch { /* shutting down: the others still close */ }
    }
  }
}
