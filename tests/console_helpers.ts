/** Helpers of the console tests. */
import {
  MessageReader,
  type MessageReaderOptions,
} from "../services/console/messages/message_reader.ts";
import { createKafka } from "../shared/kafka/client.ts";
import { loadKafkaConfig } from "../shared/kafka/config.ts";

/** The console's reader as the real `console` principal (local defaults), to inspect in tests. */
export function consoleReader(options: MessageReaderOptions = {}): MessageReader {
  return new MessageReader(
    createKafka(loadKafkaConfig("console", {}), { clientSuffix: "test" }),
    options,
  );
}
