/**
 * The proof of concept of seed 004: produce five messages to
 * `primeiro_topico` and read them back, as the web principal.
 */
import { defineService } from "../../shared/service/define_service.ts";

/** The POC service. */
export const pocService = defineService({
  name: "poc",
  description: "Seed 004's proof of concept: produce five messages, read them back.",
  web: {
    aliases: [
      // Seed 004's own paths (its poc_tests.http).
      { path: "/produce", canonical: "/api/poc/produce" },
      { path: "/consume", canonical: "/api/poc/consume" },
    ],
  },
});
