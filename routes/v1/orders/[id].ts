/**
 * `/v1/orders/:id` (seed 001's step 7): the same order resource as
 * `/api/orders/:id` — GET the order, PATCH `{"status": "PAGO"}` to move it.
 */
export { access, handler } from "../../api/orders/[id].ts";
