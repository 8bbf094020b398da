/**
 * The proof of concept of seed 004: produce five messages to
 * `primeiro_topico` and read them back, as the web principal.
 */
import { defineService } from "../../shared/service/define_service.ts";

/** The POC service. */
export const pocService = defineService({
  name: "poc",
  description: "Seed 004's proof of concept: produce five messages, read them back.",
  topics: [
    {
      topic: "primeiro_topico",
      key: "`chave-N`",
      value: "text: `Esta é a mensagem via API número N.`",
      notes: "Seed 004 POC: POST /produce sends 5, GET /consume reads all from earliest.",
    },
  ],
  web: {
    aliases: [
      // Seed 004's own paths (its poc_tests.http).
      { path: "/produce", canonical: "/api/poc/produce" },
      { path: "/consume", canonical: "/api/poc/consume" },
    ],
  },
});
