/** KafkaJS protocol errors for the unit tests that classify them (no broker). */
import kafkajs from "kafkajs";

/** A protocol error of `type`, shaped as KafkaJS raises it from a broker's error code. */
export function protocolError(type: string): Error {
  return new kafkajs.KafkaJSProtocolError(
    { type, code: 0, retriable: true, message: type } as never,
  );
}
