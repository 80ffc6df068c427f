import { parseArgs } from 'node:util';
import type { AppConfig } from '../config/app-config';
import { API_ROLES, isApiRole } from './roles';
import { resolveSigningSecret } from './signing-secret';
import { mintToken, TTL_PATTERN } from './tokens';

export const TOKEN_USAGE = `token --sub ID --role ROLE [--ttl 8h]
                               Print a bearer token for ID acting as ROLE (${API_ROLES.join(', ')}), signed with AUTH_SECRET
                               or the secret in DATA_DIR/auth-secret; --ttl 90s | 15m | 8h | 7d (default 8h).`;

export class TokenUsageError extends Error {}

/** `redress token --sub alice --role agent [--ttl 8h]`: the token on stdout, alone, for scripts to capture. */
export async function tokenCommand(config: AppConfig, args: readonly string[], out: NodeJS.WritableStream = process.stdout): Promise<void> {
  let values: { sub?: string; role?: string; ttl?: string };
  try {
    ({ values } = parseArgs({
      args: [...args],
      options: { sub: { type: 'string' }, role: { type: 'string' }, ttl: { type: 'string' } },
      strict: true,
    }));
  } catch (error) {
    throw new TokenUsageError(`${(error as Error).message}\n\nUsage: redress ${TOKEN_USAGE}`);
  }
  const { sub, role, ttl } = values;
  if (!sub || !role) throw new TokenUsageError(`token needs --sub and --role.\n\nUsage: redress ${TOKEN_USAGE}`);
  if (!isApiRole(role)) throw new TokenUsageError(`--role must be one of: ${API_ROLES.join(', ')}; got "${role}"`);
  if (ttl !== undefined && !TTL_PATTERN.test(ttl))
    throw new TokenUsageError(`--ttl must be a number and a unit (s, m, h, d), e.g. 8h; got "${ttl}"`);
  const secret = resolveSigningSecret(config);
  if (!secret) {
    throw new TokenUsageError(
      'Tokens come from the identity provider (AUTH_JWKS_URL) here: set AUTH_SECRET as well to mint tokens for scripts.',
    );
  }
  let token: string;
  try {
    token = await mintToken({ sub, role, ttl }, { secret: secret.value, issuer: config.auth.issuer, audience: config.auth.audience });
  } catch (error) {
    if (error instanceof RangeError) throw new TokenUsageError(`--${error.message}`);
    throw error;
  }
  out.write(`${token}\n`);
}
