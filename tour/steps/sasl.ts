/**
 * Step 7 — SASL: a service principal logs in with its password; the same
 * login with a wrong password is refused by the broker.
 */
import { errorMessage } from "../../shared/core/errors.ts";
import { loadKafkaConfig } from "../../shared/kafka/config.ts";
import type { StepReport, Tour, TourStep } from "../tour.ts";

/** The service principal of steps 7 and 8: it may touch only the `contas` topics. */
export const LEARNER = "balances" as const;

/** Connects an admin client of `kafka` and disconnects it; the error message, or "" when it logged in. */
async function tryLogin(kafka: ReturnType<Tour["kafkaAs"]>): Promise<string> {
  const admin = kafka.admin();
  try {
    await admin.connect();
    await admin.disconnect();
    return "";
  } catch (error) {
    await admin.disconnect().catch(() => {});
    return `${(error as Error).name}: ${errorMessage(error)}`;
  }
}

/** Step 7. */
export const sasl: TourStep = {
  title: "SASL: who is connecting",
  concept:
    "Every connection to Freshet's broker authenticates with SASL: the client proves who it " +
    "is (a principal) before anything else. With SCRAM-SHA-256 the password itself never crosses " +
    "the network. Each service has its own principal, so the broker knows exactly who does what.",
  async run(tour: Tour): Promise<StepReport> {
    const config = loadKafkaConfig(LEARNER);
    tour.check(
      config.sasl !== undefined,
      `${LEARNER} has credentials configured`,
      `set KAFKA_BALANCES_PASSWORD`,
    );
    const ok = await tryLogin(tour.kafkaAs(LEARNER));
    tour.check(ok === "", `${LEARNER} logs in with its password (${config.sasl!.mechanism})`, ok);
    const refused = await tryLogin(tour.kafkaAs(LEARNER, { password: "not-the-password" }));
    tour.check(
      /SASL|authentication/i.test(refused),
      `${LEARNER} with a wrong password is refused`,
      refused || "it logged in",
    );
    return {
      did: [
        `Logged in as ${LEARNER} to ${config.brokers.join(",")} with its password: accepted.`,
        `Logged in as ${LEARNER} with a wrong password: refused — ${refused}`,
      ],
      notice: [
        "The refusal comes before any request: a client without valid credentials cannot even " +
        "list topics.",
        'Each Freshet service logs in as its own principal (README, "The local broker"), ' +
        "configured by KAFKA_<PRINCIPAL>_USERNAME/PASSWORD; the local broker's default " +
        "passwords are <principal>-secret.",
      ],
      commands: [
        `deno task kafka:cli --as ${LEARNER} kafka-topics --describe --topic contas`,
        `KAFKA_BALANCES_PASSWORD=wrong deno task kafka:cli --as ${LEARNER} kafka-topics --list`,
      ],
    };
  },
};
