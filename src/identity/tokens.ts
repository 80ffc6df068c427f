import { createRemoteJWKSet, decodeProtectedHeader, errors, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import type { AuthConfig } from '../config/app-config';
import { ID_PATTERN } from '../core/identifiers';
import { API_ROLES, isApiRole, type ApiRole } from './roles';

/** Who a verified token says acts: `sub` and `role`. */
export interface TokenActor {
  readonly id: string;
  readonly role: ApiRole;
}

/** The token is missing, malformed or not acceptable: 401 with `error="invalid_token"` (RFC 6750). */
export class InvalidTokenError extends Error {
  constructor(readonly description: string) {
    super(description);
    this.name = 'InvalidTokenError';
  }
}

/** The identity provider's keys could not be fetched: the token cannot be judged either way (503). */
export class KeysUnavailableError extends Error {
  constructor(cause: unknown) {
    super("The identity provider's signing keys (AUTH_JWKS_URL) could not be fetched; retry shortly.", { cause });
    this.name = 'KeysUnavailableError';
  }
}

/** Algorithms accepted from the JWKS; HS256 only with the shared secret. Never `none`. */
export const JWKS_ALGORITHMS = ['RS256', 'ES256'] as const;
/** Leeway for clocks that disagree a little about `exp` and `nbf`. */
const CLOCK_TOLERANCE_SECONDS = 5;

export interface TokenKeys {
  /** The HS256 secret, when tokens may be signed with one. */
  readonly secret?: string;
  /** The JWKS URL, when tokens may come from an identity provider. */
  readonly jwksUrl?: string;
  readonly issuer: string;
  readonly audience: string;
}

export type VerifyToken = (token: string) => Promise<TokenActor>;

/** A verifier for the configured keys; the JWKS is fetched when first needed, cached and refetched for an unknown `kid`. */
export function tokenVerifier(keys: TokenKeys): VerifyToken {
  const secret = keys.secret === undefined ? undefined : new TextEncoder().encode(keys.secret);
  const jwks =
    keys.jwksUrl === undefined
      ? undefined
      : createRemoteJWKSet(new URL(keys.jwksUrl), { timeoutDuration: 5000, cooldownDuration: 30_000, cacheMaxAge: 10 * 60_000 });
  const accepted = [...(secret ? ['HS256'] : []), ...(jwks ? JWKS_ALGORITHMS : [])];

  const verified = new VerifiedTokens(jwks === undefined ? Infinity : JWKS_TRUST_MS);
  return async (token) => verified.get(token) ?? verified.remember(token, await verify(token));

  async function verify(token: string): Promise<JWTPayload> {
    let alg: string | undefined;
    try {
      alg = decodeProtectedHeader(token).alg;
    } catch {
      throw new InvalidTokenError('The token is not a well-formed JWT');
    }
    if (alg === undefined || !accepted.includes(alg)) {
      throw new InvalidTokenError(
        `The token's algorithm (${alg ?? 'none'}) is not accepted here; accepted: ${accepted.join(', ') || 'none'}`,
      );
    }
    const options = {
      algorithms: [alg],
      issuer: keys.issuer,
      audience: keys.audience,
      requiredClaims: ['exp', 'sub'],
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
    };
    try {
      return alg === 'HS256' ? (await jwtVerify(token, secret!, options)).payload : (await jwtVerify(token, jwks!, options)).payload;
    } catch (error) {
      throw judge(error);
    }
  }
}

/** How many verified tokens are remembered (least recently used first out). */
const VERIFIED_TOKENS = 10_000;
/** How long a token verified with the identity provider's keys is taken as verified: a key it withdraws stops working within this. */
const JWKS_TRUST_MS = 60_000;

/**
 * Tokens already verified, with their actor: a client sends the same token on every request, and checking its signature
 * and claims each time is a large share of a small command's CPU. A token is remembered until it expires (its `exp`,
 * with the same leeway), and at most `trustMs` when its key can be withdrawn; refused tokens are never remembered.
 */
class VerifiedTokens {
  private readonly tokens = new Map<string, { readonly actor: TokenActor; readonly untilMs: number }>();

  constructor(private readonly trustMs: number) {}

  get(token: string): TokenActor | undefined {
    const found = this.tokens.get(token);
    if (!found) return undefined;
    this.tokens.delete(token);
    if (Date.now() >= found.untilMs) return undefined;
    this.tokens.set(token, found);
    return found.actor;
  }

  remember(token: string, payload: JWTPayload): TokenActor {
    const actor = actorOf(payload);
    // jwtVerify required `exp`; its leeway applies to the remembered token too.
    const untilMs = Math.min((payload.exp! + CLOCK_TOLERANCE_SECONDS) * 1000, Date.now() + this.trustMs);
    this.tokens.set(token, { actor, untilMs });
    if (this.tokens.size > VERIFIED_TOKENS) this.tokens.delete(this.tokens.keys().next().value!);
    return actor;
  }
}

function actorOf(payload: JWTPayload): TokenActor {
  const { sub, role } = payload;
  if (typeof sub !== 'string' || !ID_PATTERN.test(sub)) {
    throw new InvalidTokenError("The token's sub claim must be an id of letters, digits and - _ . : (1 to 128 characters)");
  }
  if (!isApiRole(role)) throw new InvalidTokenError(`The token's role claim must be one of: ${API_ROLES.join(', ')}`);
  return { id: sub, role };
}

/** What a verification failure means to the client, in words fit for error_description (no internals). */
function judge(error: unknown): Error {
  if (error instanceof errors.JWTExpired) return new InvalidTokenError('The token has expired');
  if (error instanceof errors.JWTClaimValidationFailed) {
    switch (error.claim) {
      case 'iss':
        return new InvalidTokenError('The token was not issued by the expected issuer');
      case 'aud':
        return new InvalidTokenError('The token is not meant for this API (audience)');
      case 'nbf':
        return new InvalidTokenError('The token is not valid yet');
      default:
        return new InvalidTokenError(`The token's ${error.claim} claim is missing or invalid`);
    }
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) return new InvalidTokenError("The token's signature is invalid");
  if (error instanceof errors.JWKSNoMatchingKey) return new InvalidTokenError('No key of the identity provider matches the token');
  if (error instanceof errors.JWKSMultipleMatchingKeys) return new InvalidTokenError('The token does not say which key signed it (kid)');
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid) return new KeysUnavailableError(error);
  if (error instanceof errors.JOSEError) return new InvalidTokenError('The token is not a valid JWT');
  // A network failure fetching the JWKS, or anything else unexpected.
  return new KeysUnavailableError(error);
}

export interface MintOptions {
  readonly sub: string;
  readonly role: ApiRole;
  /** A jose time span: `90s`, `15m`, `8h`, `7d`. */
  readonly ttl?: string;
}

export const TTL_PATTERN = /^[1-9]\d{0,5}(s|m|h|d)$/;

/** Mints an HS256 token Redress accepts: `sub`, `role`, `iss`, `aud`, `iat`, `exp`. */
export async function mintToken(options: MintOptions, keys: Pick<AuthConfig, 'issuer' | 'audience'> & { secret: string }): Promise<string> {
  if (!ID_PATTERN.test(options.sub)) throw new RangeError('sub must be an id of letters, digits and - _ . : (1 to 128 characters)');
  if (!isApiRole(options.role)) throw new RangeError(`role must be one of: ${API_ROLES.join(', ')}`);
  const ttl = options.ttl ?? '8h';
  if (!TTL_PATTERN.test(ttl)) throw new RangeError('ttl must be a number and a unit: 90s, 15m, 8h or 7d');
  return new SignJWT({ role: options.role })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(options.sub)
    .setIssuer(keys.issuer)
    .setAudience(keys.audience)
    .setIssuedAt()
    .setExpirationTime(ttl)
    .sign(new TextEncoder().encode(keys.secret));
}
