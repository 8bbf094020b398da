/**
 * The bus: state changes announced by consumers and services, relayed by
 * the web server to browsers over Server-Sent Events.
 *
 * Inside one process (the server and its consumer Workers) it is a
 * `BroadcastChannel`. A consumer running as its own process forwards its
 * messages to the server through the bus bridge (see bridge.ts).
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

let channel: BroadcastChannel | undefined;
const forwarders = new Set<Forwarder>();

function sharedChannel(): BroadcastChannel {
  channel ??= new BroadcastChannel(BUS_NAME);
  return channel;
}

/** Publishes a change to every listener of this process and, if bridged, to the server. */
export function publish<T>(topic: string, type: string, data: T): void {
  const message: BusMessage<T> = { topic, type, data, at: Date.now() };
  sharedChannel().postMessage(message);
  for (const forward of forwarders) forward(message);
}

/**
 * Publishes a message received from elsewhere (the bridge) to this
 * process's listeners, keeping its original time.
 */
export function republish(message: BusMessage): void {
  sharedChannel().postMessage(message);
}

/**
 * Calls `listener` for every bus message published by other Workers of this
 * process or bridged from other processes. Returns the unsubscribe function.
 */
export function subscribe(listener: (message: BusMessage) => void): () => void {
  const bc = new BroadcastChannel(BUS_NAME);
  bc.onmessage = (event: MessageEvent<BusMessage>) => listener(event.data);
  return () => bc.close();
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
}
