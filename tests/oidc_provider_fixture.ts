/**
 * A real OpenID Connect provider for the single sign-on tests:
 * `oidc-provider` (the certified Node.js implementation) on 127.0.0.1 with
 * a random port, in this process. Its users: `vera` (role claim
 * `freshet-viewer`), `otto` (`freshet-operator`), `nina` (no role claim).
 * The test picks who logs in next (the provider's login page, a form to
 * submit, has their name typed in), and can make the provider
 * misbehave the ways a real one can: ID tokens that expire in a second
 * with a slow token endpoint, or an ID token issued to another client.
 */
import Provider from "oidc-provider";
import { type AuthConfig, loadAuthConfig } from "../shared/web/auth/mod.ts";
import { TEST_PASSWORDS } from "./auth_helpers.ts";
import { generateKeyPairSync } from "node:crypto";
import { createServer, type Server } from "node:http";

/** The client the app is registered as, and another one on the same provider. */
export const OIDC_CLIENT = { id: "freshet", secret: "freshet-test-secret" };
const OTHER_CLIENT = { id: "another-app", secret: "another-test-secret" };

const ACCOUNTS: Record<string, Record<string, unknown>> = {
  vera: { preferred_username: "vera", email: "vera@example.test", roles: ["freshet-viewer"] },
  otto: {
    preferred_username: "otto",
    email: "otto@example.test",
    roles: ["staff", "freshet-operator"],
  },
  nina: { preferred_username: "nina", email: "nina@example.test" },
};

/** How the provider behaves for the next logins. */
export interface ProviderMode {
  /** Who logs in at the provider's login step. */
  account: string;
  /** Seconds an ID token lives (default one hour). */
  idTokenTtlSeconds: number;
  /** Hold the token endpoint's answer this long (a slow network). */
  tokenDelayMs: number;
  /** Answer the code exchange with an ID token issued to another client. */
  wrongAudience: boolean;
}

/** A running provider. */
export interface TestProvider {
  issuer: string;
  mode: ProviderMode;
  close(): Promise<void>;
}

/** The parts of oidc-provider's Koa context used here (the package ships no types). */
interface ProviderContext {
  path: string;
  method: string;
  status: number;
  type: string;
  body: unknown;
  req: unknown;
  res: unknown;
  redirect(url: string): void;
  oidc: {
    // deno-lint-ignore no-explicit-any
    provider: any;
    client?: { clientId: string };
    session?: { accountId: string };
  };
}

function decodePayload(jwt: string): Record<string, unknown> {
  const part = jwt.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
  return JSON.parse(atob(part + "=".repeat((4 - (part.length % 4)) % 4)));
}

/** Starts the provider; `redirectUri` is the app's callback. */
export async function startTestProvider(redirectUri: string): Promise<TestProvider> {
  if (!URL.canParse(redirectUri)) throw new RangeError(`not a URL: ${redirectUri}`);
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  const issuer = `http://127.0.0.1:${port}`;
  const mode: ProviderMode = {
    account: "vera",
    idTokenTtlSeconds: 3600,
    tokenDelayMs: 0,
    wrongAudience: false,
  };
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const jwk = { ...privateKey.export({ format: "jwk" }), alg: "RS256", use: "sig", kid: "test" };
  const client = (c: { id: string; secret: string }) => ({
    client_id: c.id,
    client_secret: c.secret,
    redirect_uris: [redirectUri],
    grant_types: ["authorization_code"],
    response_types: ["code"],
  });
  const provider = new Provider(issuer, {
    clients: [client(OIDC_CLIENT), client(OTHER_CLIENT)],
    // deno-lint-ignore no-explicit-any
    jwks: { keys: [jwk as any] },
    cookies: { keys: ["freshet-oidc-test-cookie-key"] },
    findAccount: (_ctx: unknown, id: string) =>
      ACCOUNTS[id] ? { accountId: id, claims: () => ({ sub: id, ...ACCOUNTS[id] }) } : undefined,
    claims: {
      openid: ["sub", "roles"],
      profile: ["preferred_username"],
      email: ["email"],
    },
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: false } },
    interactions: {
      url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}`,
    },
    loadExistingGrant: async (ctx: ProviderContext) => {
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client!.clientId,
        accountId: ctx.oidc.session!.accountId,
      });
      grant.addOIDCScope("openid profile email");
      await grant.save();
      return grant;
    },
    ttl: { IdToken: () => mode.idTokenTtlSeconds },
    pkce: { required: () => true },
  });
  provider.use(async (ctx: ProviderContext, next: () => Promise<void>) => {
    if (ctx.path.startsWith("/interaction/") && ctx.method === "GET") {
      // The provider's login page: a form, the chosen user already typed in.
      ctx.type = "text/html";
      ctx.body =
        `<!DOCTYPE html><title>Test IdP</title><link rel="icon" href="data:,"><form method="post" ` +
        `action="${ctx.path}/login"><input name="login" value="${mode.account}">` +
        `<button type="submit">Sign in</button></form>`;
      return;
    }
    if (ctx.path.startsWith("/interaction/") && ctx.method === "POST") {
      let body = "";
      for await (const chunk of ctx.req as AsyncIterable<Uint8Array>) {
        body += new TextDecoder().decode(chunk);
      }
      const account = new URLSearchParams(body).get("login") ?? "";
      const returnTo = await provider.interactionResult(
        ctx.req,
        ctx.res,
        { login: { accountId: account } },
        { mergeWithLastSubmission: false },
      );
      ctx.redirect(returnTo);
      return;
    }
    await next();
    if (ctx.path === "/token" && ctx.method === "POST" && ctx.status === 200) {
      const body = ctx.body as { id_token?: string };
      if (mode.wrongAudience && body.id_token) {
        const claims = decodePayload(body.id_token);
        const other = await provider.Client.find(OTHER_CLIENT.id);
        const token = new provider.IdToken({ sub: claims.sub, roles: claims.roles }, {
          ctx,
          client: other,
        });
        token.scope = "openid";
        token.set("nonce", claims.nonce);
        ctx.body = { ...body, id_token: await token.issue({ use: "idtoken" }) };
      }
      if (mode.tokenDelayMs > 0) await new Promise((r) => setTimeout(r, mode.tokenDelayMs));
    }
  });
  server.on("request", provider.callback());
  return {
    issuer,
    mode,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Login settings of an app using `provider` ("Test IdP") besides the local test users. */
export function oidcAuth(provider: TestProvider, extra: Record<string, string> = {}): AuthConfig {
  return loadAuthConfig({
    FRESHET_VIEWER_PASSWORD: TEST_PASSWORDS.viewer,
    FRESHET_OPERATOR_PASSWORD: TEST_PASSWORDS.operator,
    FRESHET_OIDC_ISSUER: provider.issuer,
    FRESHET_OIDC_CLIENT_ID: OIDC_CLIENT.id,
    FRESHET_OIDC_CLIENT_SECRET: OIDC_CLIENT.secret,
    FRESHET_OIDC_NAME: "Test IdP",
    ...extra,
  }, { boundHost: "127.0.0.1" });
}
