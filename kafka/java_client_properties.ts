/** A Java Kafka client's `--command-config` file for a SASL login (Kafka's own tools). */

/** The properties of a SASL login, `mechanism` PLAIN or SCRAM-SHA-256/512. */
export function javaClientProperties(login: {
  mechanism: string;
  username: string;
  password: string;
  ssl?: boolean;
}): string {
  const mechanism = login.mechanism.toUpperCase();
  const module = mechanism === "PLAIN"
    ? "org.apache.kafka.common.security.plain.PlainLoginModule"
    : "org.apache.kafka.common.security.scram.ScramLoginModule";
  // JAAS values are double-quoted strings with backslash escapes, as JSON writes them.
  const quote = (value: string) => JSON.stringify(value);
  return [
    `security.protocol=${login.ssl ? "SASL_SSL" : "SASL_PLAINTEXT"}`,
    `sasl.mechanism=${mechanism}`,
    `sasl.jaas.config=${module} required username=${quote(login.username)} password=${
      quote(login.password)
    };`,
    "",
  ].join("\n");
}
