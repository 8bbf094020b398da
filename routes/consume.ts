/** `GET /consume`: seed 004's own path (its poc_tests.http), same as `/api/poc/consume`. */
export { access, handler } from "./api/poc/consume.ts";
