/**
 * The OpenID Connect relying party, on `openid-client` (authorization code
 * flow, PKCE S256, state and nonce; every token check is the library's):
 * `start` gives the provider's authorisation URL for a new login, `finish`
 * exchanges the code the provider sent back, validates the ID token
 * (issuer, audience, signature, expiry, nonce) and reads the role claim
 * from it, or from the userinfo endpoint when the ID token lacks it. The
 * provider's metadata is discovered on first use (the server starts while
 * the provider is down) and kept.
 */
import * as client from "openid-client";
import { HttpError } from "../../http_error.ts";
import type { User } from "../users.ts";
import type { OidcConfig } from "./oidc_config.ts";
import { roleFromClaims, userNameFromClaims } from "./role_claim.ts";

/** What a login needs to remember between `start` and `finish`. */
export interface PendingLogin {
  state: string;
  codeVerifier: string;
  nonce: string;
}

/** A failed sign-in: `status` and a message to show; `subject` when the provider named the user. */
export class OidcLoginError extends HttpError {
  readonly subject?: string;
  constructor(
    status: number,
    message: string,
    options: { subject?: string; cause?: unknown } = {},
  ) {
    super(status, message, { cause: options.cause });
    this.subject = options.subject;
  }
}

/** The relying party of one configuration. */
export class OidcClient {
  readonly config: OidcConfig;
  #discovered: Promise<client.Configuration> | undefined;

  constructor(config: OidcConfig) {
    this.config = config;
  }

  #configuration(): Promise<client.Configuration> {
    this.#discovered ??= (async () => {
      const { issuer, clientId, clientSecret, clockToleranceSeconds } = this.config;
      const metadata: Partial<client.ClientMetadata> = {
        [client.clockTolerance]: clockToleranceSeconds,
      };
      if (clientSecret === undefined) metadata.token_endpoint_auth_method = "none";
      else metadata.client_secret = clientSecret;
      const options = issuer.protocol === "http:"
        ? { execute: [client.allowInsecureRequests] } // loopback only (oidc_config.ts)
        : undefined;
      return await client.discovery(
        issuer,
        clientId,
        metadata,
        clientSecret === undefined ? client.None() : client.ClientSecretBasic(clientSecret),
        options,
      );
    })().catch((error) => {
      this.#discovered = undefined; // ask again next time
      throw new OidcLoginError(
        502,
        `${this.config.name} (${this.config.issuer.href}) could not be reached for single sign-on: ` +
          `${reasonOf(error)}`,
        { cause: error },
      );
    });
    return this.#discovered;
  }

  /** A new login: its secrets and the provider's URL to send the browser to. */
  async start(redirectUri: string): Promise<{ url: URL; pending: PendingLogin }> {
    const configuration = await this.#configuration();
    const pending: PendingLogin = {
      state: client.randomState(),
      codeVerifier: client.randomPKCECodeVerifier(),
      nonce: client.randomNonce(),
    };
    const url = client.buildAuthorizationUrl(configuration, {
      redirect_uri: redirectUri,
      scope: this.config.scopes,
      response_type: "code",
      code_challenge: await client.calculatePKCECodeChallenge(pending.codeVerifier),
      code_challenge_method: "S256",
      state: pending.state,
      nonce: pending.nonce,
    });
    return { url, pending };
  }

  /** The user of the provider's answer `callbackUrl`, checked against `pending`. */
  async finish(callbackUrl: URL, pending: PendingLogin): Promise<User> {
    const configuration = await this.#configuration();
    let tokens;
    try {
      tokens = await client.authorizationCodeGrant(configuration, callbackUrl, {
        pkceCodeVerifier: pending.codeVerifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
    } catch (error) {
      throw new OidcLoginError(
        error instanceof client.AuthorizationResponseError ? 403 : 401,
        `sign-in with ${this.config.name} failed: ${reasonOf(error)}`,
        { cause: error },
      );
    }
    let claims = tokens.claims() as Record<string, unknown>;
    const subject = String(claims.sub);
    let mapped = roleFromClaims(claims, this.config);
    if ("reason" in mapped && configuration.serverMetadata().userinfo_endpoint) {
      const userinfo = await client.fetchUserInfo(configuration, tokens.access_token, subject)
        .catch(() => undefined);
      if (userinfo) {
        claims = { ...userinfo, ...claims };
        mapped = roleFromClaims({ ...claims, ...userinfo }, this.config);
      }
    }
    const name = userNameFromClaims(claims, this.config.usernameClaim);
    if ("reason" in mapped) throw new OidcLoginError(403, mapped.reason, { subject: name });
    return { name, role: mapped.role };
  }
}

/** The library's reason, as a user can read it (its code and message, never a token). */
function reasonOf(error: unknown): string {
  if (error instanceof client.AuthorizationResponseError) {
    return `the provider answered ${error.error}${
      error.error_description ? ` (${error.error_description})` : ""
    }`;
  }
  if (error instanceof client.ResponseBodyError) {
    return `the provider answered ${error.error}${
      error.error_description ? ` (${error.error_description})` : ""
    }`;
  }
  if (error instanceof Error) {
    // openid-client's message is general; its causes say which claim or parameter failed.
    const messages: string[] = [];
    for (let e: unknown = error; e instanceof Error && messages.length < 3; e = e.cause) {
      if (!messages.includes(e.message)) messages.push(e.message);
    }
    const code = (error as { code?: unknown }).code;
    const denied = messages.some((m) => m.includes("Requires net access"))
      ? " (the server may reach the issuer's host and FRESHET_OIDC_HOSTS only: add the provider's " +
        "other endpoints' host:port there)"
      : "";
    return `${messages.join(": ")}${typeof code === "string" ? ` (${code})` : ""}${denied}`;
  }
  return String(error);
}
