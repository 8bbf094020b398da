/** `GET /saldo/:id`: seed 003's own path (its curl examples and tests), same as `/api/saldo/:id`. */
export { access, handler } from "../api/saldo/[id].ts";
