/**
 * The Kafka console (behind a login): topics, messages, produce, groups,
 * dead letters and redrive, replays, ACLs, schemas, the audit log, as its own
 * principal `console`. See docs/console.md.
 */
import { defineService } from "../../shared/service/define_service.ts";
import { CONSOLE_DB } from "../../shared/web/auth/console_db.ts";
import { DLQ_REDRIVES_MIGRATION } from "./dlq/redrive_log.ts";
import { REPLAYS_MIGRATION } from "./replay/replay_store.ts";
import { CONSOLE_WEB_ENV, consoleWeb } from "./web/console_part.ts";

/** The console service. */
export const consoleService = defineService({
  name: "console",
  description: "The Kafka console: topics, messages, groups, dead letters, ACLs, audit.",
  principals: ["console"],
  web: {
    env: CONSOLE_WEB_ENV,
    parts: [consoleWeb],
    migrations: { [CONSOLE_DB]: [DLQ_REDRIVES_MIGRATION, REPLAYS_MIGRATION] },
    nav: [{
      href: "/console",
      label: "Console",
      description:
        "The Kafka console (login): topics, messages, produce, groups, dead letters, ACLs, audit.",
    }],
  },
});

export { isDeadLetterTopic } from "./dlq/conventions.ts";
