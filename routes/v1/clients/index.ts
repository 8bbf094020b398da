/**
 * `/v1/clients` (seed 001): register a client (POST) and list clients (GET).
 *
 * POST takes `{name, email, phone, cpf}`: 201 with the client (`id`,
 * `Location`), stored with its `clients` event in one transaction. The
 * same client again (same CPF and details): 200 with the one registered,
 * nothing emitted. The CPF of another client: 409. Bad body: 400 listing
 * every problem. GET takes `?page=&limit=` and answers `{clients, page,
 * limit, total}`, newest first.
 */
import { parseNewClient } from "../../../services/orders/client.ts";
import { listClients, registerClient } from "../../../services/orders/clients_db.ts";
import { ordersDb, parsePageQuery } from "../../../services/orders/web/web.ts";
import {
  type Handlers,
  HttpError,
  problemsResponse,
  readJsonBody,
  type RouteAccess,
} from "../../../shared/web/mod.ts";

/** Who may use it (shared/web/auth/access.ts). */
export const access: RouteAccess = "open";

/** GET: a page of clients; POST: a new client. */
export const handler: Handlers = {
  GET(_req, ctx) {
    const query = parsePageQuery(ctx.url);
    const { clients, total } = listClients(ordersDb(ctx.services), query);
    return Response.json({ clients, page: query.page, limit: query.limit, total });
  },
  async POST(req, ctx) {
    const parsed = parseNewClient(await readJsonBody(req));
    if (!parsed.ok) return problemsResponse("invalid client", parsed.problems);
    const result = registerClient(ordersDb(ctx.services), parsed.client, {
      topicPrefix: ctx.services.topicPrefix,
    });
    const { client } = result;
    if (result.outcome === "conflict") {
      throw new HttpError(
        409,
        `CPF ${client.cpf} is already registered to client ${client.id} with other details`,
      );
    }
    return Response.json(client, {
      status: result.outcome === "created" ? 201 : 200,
      headers: { location: `/v1/clients/${encodeURIComponent(client.id)}` },
    });
  },
};
