/** `GET /api/balances/:id`: the same answer as `/api/saldo/:id`, under the English name. */
export { access, handler } from "../saldo/[id].ts";
