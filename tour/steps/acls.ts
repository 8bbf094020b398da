/**
 * Step 8 — ACLs: a service principal is refused a topic it has no right
 * to; a binding granting WRITE lets it in; deleting the binding shuts it
 * out again. Its rights in kafka-acls.txt are shown for comparison.
 */
import { Partitioners } from "kafkajs";
import { errorMessage } from "../../shared/core/errors.ts";
import { withAdmin } from "../../shared/kafka/client.ts";
import {
  type AclBinding,
  createBindings,
  DEFAULT_ACLS_FILE,
  deleteBindings,
  formatBinding,
  readAclsFile,
} from "../../shared/provision/mod.ts";
import type { StepReport, Tour, TourStep } from "../tour.ts";
import { LEARNER } from "./sasl.ts";
import { PRINCIPALS } from "../../freshet.ts";

/** Sends one message as LEARNER with a new client; the error message, or "" when it was written. */
async function trySend(tour: Tour, topic: string): Promise<string> {
  const producer = tour.track(
    tour.kafkaAs(LEARNER).producer({
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
      retry: { retries: 0 },
    }),
  );
  try {
    await producer.connect();
    await producer.send({ topic, acks: -1, messages: [{ key: "k", value: "segredo" }] });
    return "";
  } catch (error) {
    const type = (error as { type?: string }).type;
    return type ? `${type}: ${errorMessage(error)}` : errorMessage(error);
  } finally {
    await tour.close(producer).catch(() => {});
  }
}

/** Step 8. */
export const acls: TourStep = {
  title: "ACLs: what each principal may do",
  concept: "Authentication says who; authorization says what. The broker checks every request " +
    "against ACL bindings (principal, resource, operation, allow/deny) and, in Freshet, denies " +
    "whatever no binding allows — least privilege: each service may use only its own topics.",
  async run(tour: Tour): Promise<StepReport> {
    const topic = tour.topic("segredos");
    await tour.createTopics([`${topic}  1  auto`]);
    const own = (await readAclsFile(DEFAULT_ACLS_FILE, { principals: PRINCIPALS })).filter((b) =>
      b.principal === LEARNER
    );
    const refused = await trySend(tour, topic);
    tour.check(
      /TOPIC_AUTHORIZATION_FAILED|not authorized/i.test(refused),
      `${LEARNER} is refused when it writes to ${topic}`,
      refused || "it wrote",
    );
    const grant: AclBinding[] = ["WRITE", "DESCRIBE"].map((operation) => ({
      principal: LEARNER,
      resourceType: "topic",
      patternType: "literal",
      resourceName: topic,
      operation,
      permission: "allow",
      host: "*",
    }));
    await withAdmin(tour.admin, (admin) => createBindings(admin, grant));
    let allowed = "not tried";
    await tour.eventually(
      `with WRITE and DESCRIBE granted on ${topic}, ${LEARNER} writes to it`,
      async () => (allowed = await trySend(tour, topic)) === "",
      { timeoutMs: 15_000, detail: () => allowed },
    );
    await withAdmin(tour.admin, (admin) => deleteBindings(admin, grant));
    let again = "";
    await tour.eventually(
      `with the binding deleted, ${LEARNER} is refused again`,
      async () => (again = await trySend(tour, topic)) !== "",
      { timeoutMs: 15_000, detail: () => "it still wrote" },
    );
    return {
      did: [
        `${LEARNER} may, according to kafka-acls.txt:`,
        ...own.map((b) => ` ${formatBinding(b)}`),
        `As ${LEARNER}, sent a message to ${topic}: refused — ${refused}`,
        `As admin, granted ${grant.map(formatBinding).join(" and ")}; ${LEARNER} could then write.`,
        `Deleted the binding: refused again — ${again}`,
      ],
      notice: [
        "Kafka names the principal User:balances; the binding's resource is a topic, a group, a " +
        "transactional id or the cluster, literal or by prefix (Freshet's groups: balances-*).",
        "Without DESCRIBE a principal cannot even see that a topic exists: the broker answers as " +
        "if it did not.",
        "Freshet's bindings live in kafka-acls.txt and are applied by `deno task topics`; " +
        "bindings nobody wrote there are reported (and removed with --prune).",
      ],
      commands: [
        `deno task kafka:cli kafka-acls --list --principal User:${LEARNER}`,
        `echo segredo | deno task kafka:cli --as ${LEARNER} kafka-console-producer --topic ${topic}`,
        `deno task kafka:cli kafka-acls --add --allow-principal User:${LEARNER} --operation Write ` +
        `--operation Describe --topic ${topic}`,
      ],
    };
  },
};
