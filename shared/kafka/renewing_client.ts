/**
 * A Kafka client (admin, producer, cluster) connected on first use, shared
 * by every caller, and replaced by a new one when a call fails in a way
 * that says the client itself is stale. KafkaJS remembers every topic it
 * was asked about and refreshes their metadata on later calls: once one is
 * deleted, or a partition's leader moves, every call fails until a fresh
 * client starts over. Which failures call for a new client, how often and
 * after what wait is the `RenewPolicy` (admin_session.ts has the kernel's).
 */

/** What can be connected and disconnected (a KafkaJS admin, producer or cluster). */
export interface Connectable {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
}

/** When a failed call is asked again on a new client, and how many times. */
export interface RenewPolicy {
  /** Whether `error`, from call number `attempt` (1-based), is worth a new client and another call. */
  retryOn(error: unknown, attempt: number): boolean;
  /** Wait before the n-th retry (1-based), in ms. */
  backoffMs(retry: number): number;
}

/** Never asks again: a lazily connected client, shared, nothing more. */
export const NEVER_RENEW: RenewPolicy = { retryOn: () => false, backoffMs: () => 0 };

/** A lazily connected client, renewed after the failures `policy` names. */
export class RenewingClient<T extends Connectable> {
  #make: () => T;
  #policy: RenewPolicy;
  #current?: Promise<T>;

  constructor(make: () => T, policy: RenewPolicy = NEVER_RENEW) {
    this.#make = make;
    this.#policy = policy;
  }

  /** The connected client (connecting it on first use; a failed connect is tried again next time). */
  connected(): Promise<T> {
    if (this.#current) return this.#current;
    const current: Promise<T> = (async () => {
      const client = this.#make();
      await client.connect();
      return client;
    })();
    current.catch(() => {
      if (this.#current === current) this.#current = undefined;
    });
    return this.#current = current;
  }

  /**
   * Runs `fn` on the client. A failure the policy accepts drops the client
   * (the next call connects a new one) and runs `fn` again after the
   * policy's wait; the last failure is thrown, its client dropped too if
   * the policy would have renewed it. A call whose client another caller
   * renewed meanwhile is asked again on the new one.
   */
  async run<R>(fn: (client: T) => Promise<R>): Promise<R> {
    let replaced = 0;
    for (let attempt = 1;; attempt++) {
      const client = this.connected();
      try {
        return await fn(await client);
      } catch (error) {
        // Another caller renewed the client while this call ran on it (concurrent
        // calls share one): its disconnect failed this call ("Not connected"), not
        // the call itself. Asked again on the new client, a few times at most.
        if (this.#current !== client && replaced++ < 3) {
          attempt--;
          continue;
        }
        const renew = this.#policy.retryOn(error, attempt);
        const stale = renew || this.#policy.retryOn(error, 1);
        if (stale) await this.#drop(client);
        if (!renew) throw error;
        const waitMs = this.#policy.backoffMs(attempt);
        if (waitMs > 0) await new Promise((resolve) => setTimeout(resolve, waitMs));
      }
    }
  }

  /**
   * A stand-in for the client whose every method call goes through `run`
   * (for code written against the client itself, e.g. `admin.listTopics()`).
   * Every member is an async function: read properties through `connected()`.
   */
  standIn(): T {
    return new Proxy({} as T, {
      get: (_target, property) => {
        if (property === "then") return undefined; // not a promise
        return (...args: unknown[]) =>
          this.run(async (client) => {
            const member = (client as Record<string | symbol, unknown>)[property];
            return typeof member === "function" ? await member.apply(client, args) : member;
          });
      },
    });
  }

  /** Disconnects the client, if any (the next call connects again). */
  async close(): Promise<void> {
    if (this.#current) await this.#drop(this.#current);
  }

  /** Forgets `client` if it is still the current one (a concurrent call may have renewed it), and disconnects it. */
  async #drop(client: Promise<T>): Promise<void> {
    if (this.#current === client) this.#current = undefined;
    await client.then((c) => c.disconnect()).catch(() => {});
  }
}
