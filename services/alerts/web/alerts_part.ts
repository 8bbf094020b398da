/**
 * What the alerts service adds to the web server: its database, the rules
 * (alerts.txt), the engine and the delivery loop. Alerts are evaluated in
 * the web server process — it has what the rules read: the consumers'
 * status reports (the bus), the monitor's database, the broker — every
 * `FRESHET_ALERT_INTERVAL` (10 s), when the app is created with
 * `alerts: { evaluate: true }` (server.ts does; tests and tools that build
 * an app do not, unless they ask). Routes reach it as
 * `ctx.services.part(alertsWeb)`.
 */
import type { DatabaseSync } from "node:sqlite";
import { ConfigError, readEnv } from "../../../shared/core/config.ts";
import { createLogger } from "../../../shared/core/log.ts";
import { type KafkaConfig, kafkaEnvNames, loadKafkaConfig } from "../../../shared/kafka/config.ts";
import type { WebPart } from "../../../shared/web/services.ts";
import { parseDuration } from "../../monitor/mod.ts";
import { ALERTS_MIGRATIONS, ALERTS_SERVICE } from "../alerts_db.ts";
import { AlertsEngine } from "../engine.ts";
import { DeliveryLoop, type DeliveryOptions } from "../notify/delivery.ts";
import type { Webhook } from "../rules/rule.ts";
import { DEFAULT_RULES_FILE } from "../rules/rules_file.ts";
import { fileRules, fixedRules, type RulesSource } from "../rules/rules_source.ts";
import { parseWebhookList } from "../rules/webhooks.ts";
import { ClusterReader } from "../cluster_reader.ts";
import { snapshotSource } from "../snapshot_source.ts";

const log = createLogger("alerts");

/** The Kafka principal the alerts read the cluster's metadata as (describe only). */
export const ALERTS_KAFKA_PRINCIPAL = "monitor";

/** Variables the web server reads for the alerts. */
export const ALERTS_WEB_ENV = [
  "FRESHET_ALERT_WEBHOOK_URL",
  "FRESHET_ALERT_INTERVAL",
  "FRESHET_PUBLIC_URL",
  ...kafkaEnvNames(ALERTS_KAFKA_PRINCIPAL),
];

/** The alerts' part of an app. */
export interface AlertsWeb {
  /** The alerts database (opened on first use). */
  db(): DatabaseSync;
  engine: AlertsEngine;
  rules: RulesSource;
  /** Webhooks of FRESHET_ALERT_WEBHOOK_URL. */
  webhooks: readonly Webhook[];
  deliveries: DeliveryLoop;
  /** Reads the cluster for the rules that need it, keeping its connection between evaluations. */
  clusterReader: ClusterReader;
  /** Whether this server evaluates (and delivers) on its own. */
  evaluating: boolean;
  intervalMs: number;
}

/** What an app's creator may hand the alerts. */
export interface AlertsAppOptions {
  alerts?: {
    /** Evaluate every interval and deliver (default false; server.ts sets it). */
    evaluate?: boolean;
    /** Variables instead of the environment's (FRESHET_ALERT_*, the monitor principal's Kafka ones). */
    env?: Record<string, string | undefined>;
    /** The rules as text instead of alerts.txt. */
    rulesText?: string;
    /** Another rules file. */
    rulesFile?: URL | string;
    /** How often to evaluate (default FRESHET_ALERT_INTERVAL, 10 s). */
    intervalMs?: number;
    delivery?: DeliveryOptions;
  };
}

/** The webhooks and interval of `env`; a bad value names its variable. */
export function alertsConfig(env: Record<string, string | undefined>): {
  webhooks: Webhook[];
  intervalMs: number;
} {
  const problems: string[] = [];
  const { webhooks, problems: hooks } = parseWebhookList(env.FRESHET_ALERT_WEBHOOK_URL ?? "");
  for (const p of hooks) problems.push(`FRESHET_ALERT_WEBHOOK_URL: ${p}`);
  const text = env.FRESHET_ALERT_INTERVAL;
  const intervalMs = text === undefined ? 10_000 : parseDuration(text);
  if (intervalMs === undefined || intervalMs < 1_000) {
    problems.push(
      `FRESHET_ALERT_INTERVAL: expected a duration of at least 1s, got ${JSON.stringify(text)}`,
    );
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return { webhooks, intervalMs: intervalMs ?? 10_000 };
}

/** The alerts' web part. */
export const alertsWeb: WebPart<AlertsWeb, AlertsAppOptions> = {
  name: "alerts",
  create(kernel, options) {
    const given = options.alerts ?? {};
    const env = given.env ?? readEnv(ALERTS_WEB_ENV);
    const config = alertsConfig(env);
    const intervalMs = given.intervalMs ?? config.intervalMs;
    const rules = given.rulesText !== undefined
      ? fixedRules(given.rulesText)
      : fileRules(given.rulesFile ?? DEFAULT_RULES_FILE);
    const db = () => kernel.databases.get(ALERTS_SERVICE, ALERTS_MIGRATIONS);
    let kafka: KafkaConfig | undefined;
    const clusterReader = new ClusterReader();
    const engine = new AlertsEngine({
      db,
      rules: () => rules.rules(),
      snapshot: snapshotSource(
        kernel,
        () => kafka ??= loadKafkaConfig(ALERTS_KAFKA_PRINCIPAL, env),
        clusterReader,
      ),
      webhooks: config.webhooks,
      link: env.FRESHET_PUBLIC_URL ? new URL("/alerts", env.FRESHET_PUBLIC_URL).href : undefined,
    });
    const deliveries = new DeliveryLoop(db, given.delivery);
    const part: AlertsWeb = {
      db,
      engine,
      rules,
      webhooks: config.webhooks,
      deliveries,
      clusterReader,
      evaluating: given.evaluate === true,
      intervalMs,
    };
    if (part.evaluating) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      let stopped = false;
      const tick = async () => {
        try {
          const report = await engine.evaluate();
          if (report.queued > 0) deliveries.kick();
        } catch (error) {
          if (!stopped) log.error("evaluating the alert rules failed", { error: String(error) });
        }
        if (!stopped) timer = setTimeout(tick, intervalMs);
      };
      timer = setTimeout(tick, Math.min(1_000, intervalMs));
      deliveries.start();
      // Before the app closes its databases (its own listener is added after the parts are built).
      kernel.shutdown.addEventListener("abort", () => {
        stopped = true;
        clearTimeout(timer);
        void deliveries.stop();
      }, { once: true });
    }
    return part;
  },
  async close(part) {
    await part.deliveries.stop();
    await part.clusterReader.close();
  },
};
