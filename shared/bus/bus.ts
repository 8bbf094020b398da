/**
 * The bus: state changes announced by consumers and services, relayed by
 * the web server to browsers over Server-Sent Events.
 *
 * Inside one process it is a `BroadcastChannel` on the server's thread. A
 * consumer Worker of the server does not open one: an isolate holding a
 * BroadcastChannel wakes for every message any part of the process sends
 * (Deno has one receive loop per isolate, whatever the channel's name), so
 * five idle consumers each woke for the others' status reports. A Worker
 * calls `useHostBus()`: what it publishes goes to its host (postMessage),
 * which republishes it (`relayWorkerBus`), and it receives only the topics
 * it subscribed to, forwarded by the host. A consumer running as its own
 * process forwards its messages to the server through the bus bridge (see
 * bridge.ts).
 */

/** Name of the BroadcastChannel every part of Freshet shares. */
export const BUS_NAME = "freshet";

/** One message on the bus. */
export interface BusMessage<T = unknown> {
  /** What changed, e.g. `demands`, `orders`, `consumer`. Browsers subscribe by topic. */
  topic: string;
  /** Kind of change, e.g. `created`, `status`. */
  type: string;
  data: T;
  /** Milliseconds since the epoch when the change was published. */
  at: number;
}

type Forwarder = (message: BusMessage) => void;
type Listener = (message: BusMessage) => void;

/** Messages between a Worker and its host carrying the bus. */
export const WORKER_BUS = "bus";
/** A Worker telling its host the topics it wants (`null`: all, `[]`: none). */
export const WORKER_BUS_TOPICS = "bus-topics";

let channel: BroadcastChannel | undefined;
const forwarders = new Set<Forwarder>();
/** In a Worker using its host: its listeners and the topics each wants (undefined: all). */
let hosted: Map<Listener, readonly string[] | undefined> | undefined;

function sharedChannel(): BroadcastChannel {
  channel ??= new BroadcastChannel(BUS_NAME);
  return channel;
}

/** Publishes a change to every listener of this process and, if bridged, to the server. */
export function publish<T>(topic: string, type: string, data: T): void {
  const message: BusMessage<T> = { topic, type, data, at: Date.now() };
  if (hosted) self.postMessage({ type: WORKER_BUS, message });
  else broadcast(message);
  for (const forward of forwarders) forward(message);
}

/**
 * Publishes a message received from elsewhere (the bridge) to this
 * process's listeners, keeping its original time.
 */
export function republish(message: BusMessage): void {
  if (hosted) self.postMessage({ type: WORKER_BUS, message });
  else broadcast(message);
}

/**
 * Posts on the process's channel. A channel Deno refuses to post on (seen
 * once while a process shut its bus down under a status keep-alive:
 * "expected i32") drops that message and is opened again for the next one:
 * a note is not worth an uncaught error in a timer.
 */
function broadcast(message: BusMessage): void {
  try {
    sharedChannel().postMessage(message);
  } catch {
    try {
      channel?.close();
    } catch { /* already unusable */ }
    channel = undefined;
  }
}

/**
 * Calls `listener` for every bus message (of `topics`, when given)
 * published by other parts of this process or bridged from other
 * processes. Returns the unsubscribe function.
 */
export function subscribe(
  listener: (message: BusMessage) => void,
  topics?: readonly string[],
): () => void {
  if (hosted) {
    const own: Listener = (message) => listener(message);
    hosted.set(own, topics);
    tellHostTopics();
    return () => {
      hosted?.delete(own);
      tellHostTopics();
    };
  }
  const wanted = topics && new Set(topics);
  const bc = new BroadcastChannel(BUS_NAME);
  bc.onmessage = (event: MessageEvent<BusMessage>) => {
    if (!wanted || wanted.has(event.data?.topic)) listener(event.data);
  };
  return () => bc.close();
}

/**
 * In a Worker of the server: publish through the host and receive only
 * the topics subscribed to, never opening a BroadcastChannel (see the top
 * of this file). Call before the first `publish` or `subscribe`.
 */
export function useHostBus(): void {
  if (hosted) return;
  hosted = new Map();
  self.addEventListener("message", (event) => {
    const data = (event as MessageEvent).data;
    if (data?.type !== WORKER_BUS || !hosted) return;
    const message = data.message as BusMessage;
    for (const [listener, topics] of hosted) {
      if (!topics || topics.includes(message.topic)) listener(message);
    }
  });
}

/** The union of the hosted listeners' topics, sent to the host. */
function tellHostTopics(): void {
  if (!hosted) return;
  const all = [...hosted.values()];
  const topics = all.some((t) => t === undefined)
    ? null
    : [...new Set(all.flatMap((t) => t ?? []))].sort();
  self.postMessage({ type: WORKER_BUS_TOPICS, topics });
}

/**
 * Host side of `useHostBus`, for one Worker: republishes what it publishes
 * and forwards it the topics it asked for. Returns a function handling the
 * Worker's messages (true when it was a bus message) and one to end it.
 */
export function relayWorkerBus(worker: Worker): {
  onMessage(data: unknown): boolean;
  close(): void;
} {
  let forwarding: (() => void) | undefined;
  return {
    onMessage(data) {
      const message = data as { type?: string; message?: BusMessage; topics?: string[] | null };
      if (message?.type === WORKER_BUS && message.message) {
        republish(message.message);
        return true;
      }
      if (message?.type === WORKER_BUS_TOPICS) {
        forwarding?.();
        forwarding = message.topics?.length === 0 ? undefined : subscribe(
          (m) => worker.postMessage({ type: WORKER_BUS, message: m }),
          message.topics ?? undefined,
        );
        return true;
      }
      return false;
    },
    close() {
      forwarding?.();
      forwarding = undefined;
    },
  };
}

/** Adds a function that receives every message this process publishes. */
export function addForwarder(forward: Forwarder): () => void {
  forwarders.add(forward);
  return () => forwarders.delete(forward);
}

/** Closes the shared channel so a Worker or test can end cleanly. */
export function closeBus(): void {
  channel?.close();
  channel = undefined;
  forwarders.clear();
  hosted?.clear();
}
