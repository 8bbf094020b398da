/**
 * The sockets KafkaJS opens, checked against this program's network
 * permission first. A program is granted the brokers its launcher found
 * (shared/permissions/); a broker the cluster advertises later (a new
 * node, a moved address) would otherwise make KafkaJS retry a refused
 * connection forever. Here it stops the program with the broker's name
 * and what to do.
 */
import net from "node:net";
import tls from "node:tls";
import type { ISocketFactory } from "kafkajs";
import { fatal } from "../core/fatal.ts";

const KEEP_ALIVE_DELAY_MS = 60_000;

/** Called with `host:port` when the program may not connect there. */
export type OnMissingPermission = (broker: string) => void;

/** Whether this program may open a connection to `host:port`. */
export function mayConnect(broker: string): boolean {
  return Deno.permissions.querySync({ name: "net", host: broker }).state === "granted";
}

/** The default: stop, naming the broker. */
export const stopOnMissingPermission: OnMissingPermission = (broker) =>
  fatal(
    `no network permission for the Kafka broker ${broker}, which the cluster advertises. ` +
      "Start the program through its `deno task` (the launcher grants every broker the cluster " +
      `advertises at start), or add ${broker} to its --allow-net.`,
  );

/** KafkaJS's socket factory with the permission check in front. */
export function guardedSocketFactory(onMissing: OnMissingPermission): ISocketFactory {
  return ({ host, port, ssl, onConnect }) => {
    const broker = `${host.includes(":") ? `[${host}]` : host}:${port}`;
    if (!mayConnect(broker)) {
      onMissing(broker);
      throw new Deno.errors.NotCapable(`no network permission for ${broker}`);
    }
    const socket = ssl
      ? tls.connect(
        { host, port, ...(net.isIP(host) ? {} : { servername: host }), ...ssl },
        onConnect,
      )
      : net.connect({ host, port }, onConnect);
    socket.setKeepAlive(true, KEEP_ALIVE_DELAY_MS);
    return socket;
  };
}
