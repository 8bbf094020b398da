/**
 * server.properties and log4j2 settings of one node of the local cluster:
 * KRaft (broker and controller in one process), SASL on every listener,
 * the StandardAuthorizer with deny-by-default, `admin` as super user.
 * Clients reach each node on two listeners: SASL_PLAINTEXT on its client
 * port and SASL_SSL on the next port (`tlsPort`), the same users and
 * mechanisms on both; brokers and controllers talk over SASL_PLAINTEXT.
 */
import type { TlsMaterial } from "./tls_certs.ts";

/** Address, ports and folder of one node. */
export interface NodeLayout {
  id: number;
  /** The loopback address it listens on and advertises. */
  host: string;
  clientPort: number;
  controllerPort: number;
  dir: string;
  /**
   * The `host:port` clients are told to use, when not the node's own (a
   * fault proxy in front of it: tests/chaos/fault_proxy.ts).
   */
  advertised?: string;
}

/** The address `offset` after `host` (127.0.0.2 + 2 = 127.0.0.4). */
export function nextAddress(host: string, offset: number): string {
  const parts = host.split(".").map(Number);
  parts[3] += offset;
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) {
    throw new RangeError(`no IPv4 address ${offset} after ${host}`);
  }
  return parts.join(".");
}

/** A node's SASL_SSL port: the one after its client port (9093 beside 9092). */
export function tlsPort(node: NodeLayout): number {
  return node.clientPort + 1;
}

/** The first address of a local cluster of `count` nodes: 127.0.0.1 alone, 127.0.0.2 up for several. */
export function defaultFirstHost(count: number): string {
  return count === 1 ? "127.0.0.1" : "127.0.0.2";
}

/**
 * The nodes of a local cluster of `count` brokers: node i listens on its
 * own loopback address (`firstHost` + i), all on `basePort` (clients) and
 * `basePort + 20000` (controllers), so a cluster looks like separate hosts
 * and can run beside the single local broker on 127.0.0.1.
 */
export function clusterLayout(
  dataDir: string,
  options: { count: number; basePort: number; firstHost?: string },
): NodeLayout[] {
  const first = options.firstHost ?? defaultFirstHost(options.count);
  return Array.from({ length: options.count }, (_, i) => ({
    id: i + 1,
    host: nextAddress(first, i),
    clientPort: options.basePort,
    controllerPort: options.basePort + 20_000,
    dir: `${dataDir}/node-${i + 1}`,
  }));
}

function jaasQuote(value: string): string {
  return `"${value.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`;
}

/**
 * The broker's properties; `passwords` holds every principal's password,
 * `tls` the keystore of its SASL_SSL listener (none: no such listener).
 */
export function serverProperties(
  node: NodeLayout,
  nodes: NodeLayout[],
  passwords: Record<string, string>,
  tls?: TlsMaterial,
): string {
  const admin = jaasQuote(passwords.admin);
  const plainUsers = Object.entries(passwords)
    .map(([user, password]) => `user_${user}=${jaasQuote(password)}`).join(" ");
  const replication = Math.min(3, nodes.length);
  const client = `CLIENT://${node.host}:${node.clientPort}`;
  const advertisedClient = node.advertised ? `CLIENT://${node.advertised}` : client;
  const secure = tls ? [`TLS://${node.host}:${tlsPort(node)}`] : [];
  const plainJaas =
    `org.apache.kafka.common.security.plain.PlainLoginModule required username="admin" password=${admin} ${plainUsers};`;
  const scramJaas = "org.apache.kafka.common.security.scram.ScramLoginModule required;";
  const lines = [
    "process.roles=broker,controller",
    `node.id=${node.id}`,
    `controller.quorum.voters=${
      nodes.map((n) => `${n.id}@${n.host}:${n.controllerPort}`).join(",")
    }`,
    `listeners=${
      [client, ...secure, `CONTROLLER://${node.host}:${node.controllerPort}`].join(",")
    }`,
    `advertised.listeners=${[advertisedClient, ...secure].join(",")}`,
    `listener.security.protocol.map=CLIENT:SASL_PLAINTEXT,${
      tls ? "TLS:SASL_SSL," : ""
    }CONTROLLER:SASL_PLAINTEXT`,
    "inter.broker.listener.name=CLIENT",
    "controller.listener.names=CONTROLLER",
    "sasl.enabled.mechanisms=SCRAM-SHA-256,PLAIN",
    // Brokers and controllers talk over PLAIN, whose users come from this
    // file, so a changed admin password can never lock the cluster out.
    "sasl.mechanism.inter.broker.protocol=PLAIN",
    "sasl.mechanism.controller.protocol=PLAIN",
    "listener.name.controller.sasl.enabled.mechanisms=PLAIN",
    `listener.name.controller.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="admin" password=${admin} user_admin=${admin};`,
    `listener.name.client.plain.sasl.jaas.config=${plainJaas}`,
    `listener.name.client.scram-sha-256.sasl.jaas.config=${scramJaas}`,
    ...(tls ? tlsListenerProperties(tls, plainJaas, scramJaas) : []),
    "authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer",
    "allow.everyone.if.no.acl.found=false",
    "super.users=User:admin",
    `log.dirs=${node.dir}/log`,
    `metadata.log.dir=${node.dir}/metadata`,
    "num.partitions=1",
    `default.replication.factor=${replication}`,
    `min.insync.replicas=${replication > 1 ? 2 : 1}`,
    `offsets.topic.replication.factor=${replication}`,
    "offsets.topic.num.partitions=10",
    `transaction.state.log.replication.factor=${replication}`,
    `transaction.state.log.min.isr=${replication > 1 ? 2 : 1}`,
    "group.initial.rebalance.delay.ms=0",
    "auto.create.topics.enable=false",
    "delete.topic.enable=true",
    "log.cleaner.backoff.ms=2000",
    "log.segment.bytes=67108864",
  ];
  return lines.join("\n") + "\n";
}

/**
 * The SASL_SSL listener: the broker's keystore, and the cluster's CA to
 * check a client certificate when one is presented (`requested`: clients
 * without one log in with SASL alone; the principal is always the SASL one).
 */
function tlsListenerProperties(tls: TlsMaterial, plainJaas: string, scramJaas: string): string[] {
  return [
    `listener.name.tls.plain.sasl.jaas.config=${plainJaas}`,
    `listener.name.tls.scram-sha-256.sasl.jaas.config=${scramJaas}`,
    "listener.name.tls.ssl.keystore.type=PKCS12",
    `listener.name.tls.ssl.keystore.location=${tls.keystore}`,
    `listener.name.tls.ssl.keystore.password=${tls.password}`,
    `listener.name.tls.ssl.key.password=${tls.password}`,
    "listener.name.tls.ssl.truststore.type=PEM",
    `listener.name.tls.ssl.truststore.location=${tls.caPem}`,
    "listener.name.tls.ssl.client.auth=requested",
  ];
}

/** log4j2 settings: everything to server.log, warnings and errors also to errors.log. */
export function log4jProperties(logDir: string): string {
  return [
    "status = warn",
    "appender.server.type = RollingFile",
    "appender.server.name = server",
    `appender.server.fileName = ${logDir}/server.log`,
    `appender.server.filePattern = ${logDir}/server.log.%i`,
    "appender.server.layout.type = PatternLayout",
    "appender.server.layout.pattern = [%d] %p %m (%c)%n",
    "appender.server.policies.type = Policies",
    "appender.server.policies.size.type = SizeBasedTriggeringPolicy",
    "appender.server.policies.size.size = 20MB",
    "appender.server.strategy.type = DefaultRolloverStrategy",
    "appender.server.strategy.max = 3",
    "appender.errors.type = File",
    "appender.errors.name = errors",
    `appender.errors.fileName = ${logDir}/errors.log`,
    "appender.errors.layout.type = PatternLayout",
    "appender.errors.layout.pattern = [%d] %p %m (%c)%n",
    "appender.errors.filter.threshold.type = ThresholdFilter",
    "appender.errors.filter.threshold.level = warn",
    "rootLogger.level = info",
    "rootLogger.appenderRef.server.ref = server",
    "rootLogger.appenderRef.errors.ref = errors",
    "",
  ].join("\n");
}

/** A random KRaft cluster id: 16 random bytes, base64url without padding. */
export function randomClusterId(): string {
  for (;;) {
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    const id = btoa(String.fromCharCode(...bytes))
      .replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
    if (!id.startsWith("-")) return id;
  }
}
