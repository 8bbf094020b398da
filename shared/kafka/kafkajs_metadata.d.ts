/** A KafkaJS Metadata response module (protocol/requests/metadata/vN/response.js), as kafkajs_leaderless.ts patches it. */
declare const response: {
  parse(data: unknown): Promise<unknown>;
};
export default response;
