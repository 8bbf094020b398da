/**
 * The sockets KafkaJS opens, checked against this program's network
 * permission first. A program is granted the brokers its launcher found
 * (shared/permissions/); a broker the cluster advertises later (a new
 * node, a moved address) would otherwise make KafkaJS retry a refused
 * connection forever. Here it stops the program with the broker's name
 * and what to do.
 *
 * A TLS connection that fails before it carried anything (a refused
 * certificate, a handshake that broke off), or a plaintext one answered
 * with a TLS record, is diagnosed (tls_diagnosis.ts): KafkaJS would only
 * say "Connection error" or "Closed connection" and retry for half a
 * minute; here the program stops with a message naming the broker and the
 * certificate problem.
 */
import net from "node:net";
import tls from "node:tls";
import type { ISocketFactory } from "kafkajs";
import { fatal } from "../core/fatal.ts";
import type { KafkaTlsConfig } from "./config.ts";
import { diagnoseBroker, tlsOptions } from "./tls_diagnosis.ts";
import { isUnreachableError, type KafkaTlsError } from "./tls_errors.ts";

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

/**
 * Whether bytes on a plaintext connection are a TLS record (an alert or a
 * handshake: content type 21 or 22, version 3.x), which is what a TLS
 * port answers a plaintext Kafka request with before it hangs up.
 */
function isTlsRecord(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && (bytes[0] === 21 || bytes[0] === 22) && bytes[1] === 3;
}

/** Called with the TLS fault found on a connection to a broker. */
export type OnTlsFailure = (error: KafkaTlsError) => void;

/** The default: stop, with the fault's message (in a Worker: the consumer fails, naming it). */
export const stopOnTlsFailure: OnTlsFailure = (error) => fatal(error.message);

/** A broker found sound is not diagnosed again for this long. */
const DIAGNOSIS_COOLDOWN_MS = 5_000;

/**
 * Diagnoses a broker whose connection failed before it carried anything,
 * at most once at a time and once per cooldown per broker.
 */
function tlsWatcher(onTlsFailure: OnTlsFailure) {
  const busy = new Map<string, Promise<void> | number>();
  return (broker: string, ssl: KafkaTlsConfig | undefined) => {
    const last = busy.get(broker);
    if (
      last instanceof Promise || (last !== undefined && Date.now() - last < DIAGNOSIS_COOLDOWN_MS)
    ) {
      return;
    }
    busy.set(
      broker,
      diagnoseBroker(broker, ssl).then(
        (fault) => {
          busy.set(broker, Date.now());
          if (fault) onTlsFailure(fault);
        },
        () => {
          busy.set(broker, Date.now());
        },
      ),
    );
  };
}

/** KafkaJS's socket factory with the permission check in front and TLS faults diagnosed. */
export function guardedSocketFactory(
  onMissing: OnMissingPermission,
  onTlsFailure: OnTlsFailure = stopOnTlsFailure,
): ISocketFactory {
  const diagnose = tlsWatcher(onTlsFailure);
  return ({ host, port, ssl, onConnect }) => {
    const broker = `${host.includes(":") ? `[${host}]` : host}:${port}`;
    if (!mayConnect(broker)) {
      onMissing(broker);
      throw new Deno.errors.NotCapable(`no network permission for ${broker}`);
    }
    // KafkaJS passes null without TLS.
    const tlsConfig = ssl ? ssl as KafkaTlsConfig : undefined;
    const socket = tlsConfig
      ? tls.connect(
        { host, port, ...(net.isIP(host) ? {} : { servername: host }), ...tlsOptions(tlsConfig) },
        onConnect,
      )
      : net.connect({ host, port }, onConnect);
    socket.setKeepAlive(true, KEEP_ALIVE_DELAY_MS);
    if (tlsConfig) {
      // A TLS connection that ends before it carried anything: a refused
      // certificate, a handshake broken off (a plaintext port), a refused
      // client certificate. A broker that cannot be reached at all is the
      // Kafka client's to report.
      let received = false;
      socket.once("data", () => (received = true));
      socket.once("error", (error: Error) => {
        if (!received && !isUnreachableError(error)) diagnose(broker, tlsConfig);
      });
      socket.once("close", () => {
        if (!received) diagnose(broker, tlsConfig);
      });
    } else {
      // A plaintext request answered with a TLS record: a TLS port. Plaintext
      // connections are otherwise never diagnosed.
      socket.once("data", (chunk: Uint8Array) => {
        if (isTlsRecord(chunk)) diagnose(broker, undefined);
      });
    }
    return socket;
  };
}
