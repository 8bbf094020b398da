/** `GET /saldo/:id`: seed 003's own path (its curl examples and tests), same as `/api/saldo/:id`. */
export { handler } from "../api/saldo/[id].ts";
