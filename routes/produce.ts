/** `POST /produce`: seed 004's own path (its poc_tests.http), same as `/api/poc/produce`. */
export { access, handler } from "./api/poc/produce.ts";
