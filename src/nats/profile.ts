/**
 * What a connection is made from. A profile holds everything but secrets; secrets (token,
 * password, NKey seed) travel separately so the extension can keep them in SecretStorage
 * and the CLI can take them from flags or a natscli context without writing them anywhere.
 */
export type AuthKind = 'none' | 'token' | 'userPassword' | 'nkey' | 'creds';

export const AUTH_KINDS: readonly AuthKind[] = ['none', 'token', 'userPassword', 'nkey', 'creds'];

export interface TlsSettings {
  /** CA bundle (PEM file path) used to verify the server. */
  ca?: string;
  /** Client certificate (PEM file path), with `key`, for mutual TLS. */
  cert?: string;
  key?: string;
}

export type ProfileSource = 'user' | 'workspace' | 'context' | 'env' | 'cli';

export interface ConnectionProfile {
  id: string;
  name: string;
  /** One or more server URLs (nats://, tls://, ws://); natscli's comma-separated list, split. */
  servers: string[];
  auth: AuthKind;
  /** For userPassword. */
  user?: string;
  /** For creds: path to a .creds file (JWT + seed), read at connect time. */
  credsFile?: string;
  tls?: TlsSettings;
  source?: ProfileSource;
  /** The natscli context this profile came from, when imported. */
  contextName?: string;
  description?: string;
  /** JetStream domain (natscli's jetstream_domain / --js-domain): API at `$JS.<domain>.API`. */
  jsDomain?: string;
  /** JetStream API prefix (natscli's jetstream_api_prefix / --js-api-prefix), for imported APIs. */
  jsApiPrefix?: string;
}

export interface ProfileSecrets {
  token?: string;
  password?: string;
  /** NKey user seed (starts with SU). */
  nkeySeed?: string;
}

/** Splits natscli's `--server a,b` form and trims blanks. */
export function splitServers(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/**
 * A server URL fit to show or log: credentials written into it (`nats://user:pass@host`,
 * `nats://token@host`, as NATS_URL and natscli contexts allow) are masked.
 */
export function redactServerUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)([^@/]+)@/i, (_, scheme: string, userinfo: string) => {
    const colon = userinfo.indexOf(':');
    return `${scheme}${colon >= 0 ? `${userinfo.slice(0, colon)}:***` : '***'}@`;
  });
}

/** The server list as users read it, credentials masked. */
export function describeServers(servers: readonly string[], separator = ', '): string {
  return servers.map(redactServerUrl).join(separator);
}

/** Where the profile's JetStream API lives, as the @nats-io/jetstream options spell it. */
export function jetStreamOptions(profile: Pick<ConnectionProfile, 'jsDomain' | 'jsApiPrefix'> | undefined): { domain?: string; apiPrefix?: string } {
  if (profile?.jsApiPrefix) return { apiPrefix: profile.jsApiPrefix };
  if (profile?.jsDomain) return { domain: profile.jsDomain };
  return {};
}
