/**
 * `/v1/orders` (seed 001): create an order (POST) and list orders (GET),
 * the same resource as `/api/orders`.
 *
 * POST takes seed 001's shape `{clientId, items: [{productId, quantity,
 * price}], total, payments: [{typePaymentId, amount}]}`
 * (services/orders/catalog_order.ts): 201 with the order (`id`), stored as
 * PENDENTE together with its `orders.created` event; 400 for a malformed
 * body (payments not adding up to the total included), 422 naming an
 * unknown client or product or a price that is not the product's.
 */
export { access, handler } from "../../api/orders/index.ts";
