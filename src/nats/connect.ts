/**
 * Opens a NATS connection from a profile and its secrets, and turns nats.js's connect
 * failures into a ConnectionError with a kind, a plain message and a hint. Messages name the
 * profile, the auth kind, the URLs and file paths, never a token, password or seed.
 */
import { readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import {
  connect,
  credsAuthenticator,
  errors as natsErrors,
  nkeyAuthenticator,
  type NatsConnection,
  type NodeConnectionOptions,
} from '@nats-io/transport-node';
import { fromSeed } from '@nats-io/nkeys';
import { describeServers, type AuthKind, type ConnectionProfile, type ProfileSecrets } from './profile';

export interface OpenConnectionOptions {
  /** Connection name the server shows in `nats server report connections`. Default "NATS Flow". */
  name?: string;
  /** Connect timeout per attempt. Default 5000 ms. */
  timeoutMs?: number;
  /** Keep reconnecting after a drop (the extension) or give up (the CLI). Default true. */
  reconnect?: boolean;
  /**
   * Reconnect attempts per server; -1 for forever, with a growing wait between attempts
   * (`reconnectBackoff`). Default: nats.js's (10 attempts, 2 s apart: about 20 s).
   */
  maxReconnectAttempts?: number;
  /**
   * Wait between reconnect attempts to one server. Default: nats.js's (2,000 ms); tails use
   * less. With maxReconnectAttempts -1 it is the backoff's first (and shortest) wait.
   */
  reconnectTimeWaitMs?: number;
  /** With maxReconnectAttempts -1: the longest wait the backoff grows to (default 10 s). */
  reconnectMaxWaitMs?: number;
}

/**
 * How a connection that stays open all day (the extension's) is made: it reconnects forever,
 * waiting longer between attempts the longer the server is gone, and gives up only on close.
 */
export const LONG_LIVED_CONNECTION: Readonly<Pick<OpenConnectionOptions, 'reconnect' | 'maxReconnectAttempts' | 'reconnectTimeWaitMs' | 'reconnectMaxWaitMs'>> = {
  reconnect: true,
  maxReconnectAttempts: -1,
  // open tails must be back within 2 s of the server accepting connections again (issue 9),
  // so the backoff starts at 250 ms and never waits more than 2 s (natscli's fixed wait)
  reconnectTimeWaitMs: 250,
  reconnectMaxWaitMs: 2000,
};

/**
 * The wait between reconnect attempts: `minMs` (1 s) at first, growing with the time since the
 * connection was lost (a quarter of it), at most `maxMs` (10 s). nats.js asks for the wait before
 * every attempt; `reset()` after a successful reconnect starts again at 1 s.
 */
export function reconnectBackoff(opts: { minMs?: number | undefined; maxMs?: number | undefined; now?: () => number } = {}): { delay(): number; reset(): void } {
  const min = opts.minMs ?? 1000;
  const max = opts.maxMs ?? 10_000;
  const now = opts.now ?? Date.now;
  let since: number | undefined;
  return {
    delay() {
      const t = now();
      since ??= t;
      return Math.round(Math.min(max, Math.max(min, (t - since) / 4)));
    },
    reset() {
      since = undefined;
    },
  };
}

export type ConnectionErrorKind = 'auth' | 'tls' | 'unreachable' | 'noJetStream' | 'timeout' | 'config' | 'unknown';

/** A connect failure explained: `message` says what, `hint` says what to try. */
export class ConnectionError extends Error {
  override name = 'ConnectionError';
  readonly kind: ConnectionErrorKind;
  readonly hint: string;
  override readonly cause: unknown;

  constructor(kind: ConnectionErrorKind, message: string, hint: string, cause?: unknown) {
    super(message);
    this.kind = kind;
    this.hint = hint;
    this.cause = cause;
  }
}

const AUTH_LABEL: Record<AuthKind, string> = {
  none: 'no authentication',
  token: 'token',
  userPassword: 'user/password',
  nkey: 'NKey',
  creds: 'credentials file',
};

/** `~/x` → `$HOME/x`, as natscli does for creds, nkey and cert paths. */
export function expandHome(path: string): string {
  return path === '~' || path.startsWith('~/') ? homedir() + path.slice(1) : path;
}

function profileLabel(profile: ConnectionProfile): string {
  return `"${profile.name}"`;
}

function configError(profile: ConnectionProfile, message: string, hint: string, cause?: unknown): ConnectionError {
  return new ConnectionError('config', `Connection ${profileLabel(profile)}: ${message}`, hint, cause);
}

function readProfileFile(profile: ConnectionProfile, what: string, path: string): string {
  const full = expandHome(path);
  try {
    if (!statSync(full).isFile()) throw Object.assign(new Error('not a file'), { code: 'EISDIR' });
    return readFileSync(full, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'does not exist' : code === 'EACCES' ? 'is not readable (permission denied)' : code === 'EISDIR' ? 'is not a file' : `cannot be read (${code ?? String(err)})`;
    throw configError(profile, `${what} ${full} ${why}`, `Check the ${what} path in the connection settings.`, err);
  }
}

const CREDS_JWT = /-----BEGIN NATS USER JWT-----\s*\n\s*(\S+)\s*\n/;
const CREDS_SEED = /-----BEGIN USER NKEY SEED-----\s*\n\s*(SU[A-Z2-7]+)\s*\n/;

/** Credentials written into a server URL: `nats://user:pass@host` or `nats://token@host`. */
export interface UrlCredentials {
  user?: string;
  pass?: string;
  token?: string;
}

const URL_USERINFO = /^((?:[a-z][a-z0-9+.-]*:\/\/)?)([^@/\s]+)@/i;

function decodeUserinfo(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

/**
 * Takes credentials out of server URLs, as natscli honours them (NATS_URL, contexts,
 * `--server`): nats.js ignores them and would then fail with "authorization violation".
 * Returns the URLs without them and the first credentials found.
 */
export function splitUrlCredentials(servers: readonly string[]): { servers: string[]; credentials?: UrlCredentials } {
  let credentials: UrlCredentials | undefined;
  const out = servers.map((url) => {
    const m = URL_USERINFO.exec(url.trim());
    if (!m) return url;
    if (!credentials) {
      const info = m[2];
      const colon = info.indexOf(':');
      credentials = colon >= 0 ? { user: decodeUserinfo(info.slice(0, colon)), pass: decodeUserinfo(info.slice(colon + 1)) } : { token: decodeUserinfo(info) };
    }
    return m[1] + url.trim().slice(m[0].length);
  });
  return credentials ? { servers: out, credentials } : { servers: out };
}

/**
 * Builds nats.js connect options from a profile. Throws ConnectionError(kind 'config') for
 * problems found before touching the network: missing secret, missing file, bad seed.
 */
export function buildConnectOptions(profile: ConnectionProfile, secrets: ProfileSecrets, opts: OpenConnectionOptions = {}): NodeConnectionOptions {
  if (profile.servers.length === 0) {
    throw configError(profile, 'no server URL', 'Add at least one server URL, e.g. nats://127.0.0.1:4222.');
  }
  // profiles the user makes refuse such URLs (profileStore.checkServerUrl); contexts,
  // NATS_URL and --server may carry them, and explicit authentication wins over them
  const { servers, credentials } = splitUrlCredentials(profile.servers);
  const o: NodeConnectionOptions = {
    servers,
    name: opts.name ?? 'NATS Flow',
    timeout: opts.timeoutMs ?? 5000,
    reconnect: opts.reconnect ?? true,
  };
  if (opts.maxReconnectAttempts !== undefined) o.maxReconnectAttempts = opts.maxReconnectAttempts;
  if (opts.maxReconnectAttempts === -1) {
    const backoff = reconnectBackoff({ minMs: opts.reconnectTimeWaitMs, maxMs: opts.reconnectMaxWaitMs });
    o.reconnectDelayHandler = () => backoff.delay();
    backoffs.set(o, backoff);
  } else if (opts.reconnectTimeWaitMs !== undefined) o.reconnectTimeWait = opts.reconnectTimeWaitMs;

  switch (profile.auth) {
    case 'none':
      if (credentials?.token !== undefined) o.token = credentials.token;
      else if (credentials?.user !== undefined) {
        o.user = credentials.user;
        o.pass = credentials.pass ?? '';
      }
      break;
    case 'token':
      if (!secrets.token) throw configError(profile, 'uses token authentication but no token is stored', 'Set the token for this connection.');
      o.token = secrets.token;
      break;
    case 'userPassword':
      if (!profile.user) throw configError(profile, 'uses user/password authentication but has no user name', 'Set the user name for this connection.');
      o.user = profile.user;
      o.pass = secrets.password ?? '';
      break;
    case 'nkey': {
      const seed = secrets.nkeySeed?.trim();
      if (!seed) throw configError(profile, 'uses NKey authentication but no seed is stored', 'Set the NKey user seed (it starts with SU) for this connection.');
      const bytes = new TextEncoder().encode(seed);
      try {
        if (!seed.startsWith('SU')) throw new Error('not a user seed');
        fromSeed(bytes);
      } catch (err) {
        throw configError(profile, 'the stored NKey seed is not a valid user seed', 'An NKey user seed starts with SU; the public key (U…) goes in the server config, the seed here.', err);
      }
      o.authenticator = nkeyAuthenticator(bytes);
      break;
    }
    case 'creds': {
      if (!profile.credsFile) throw configError(profile, 'uses a credentials file but none is set', 'Set the path of the .creds file for this connection.');
      const text = readProfileFile(profile, 'credentials file', profile.credsFile);
      if (!CREDS_JWT.test(text) || !CREDS_SEED.test(text)) {
        throw configError(
          profile,
          `credentials file ${expandHome(profile.credsFile)} does not hold a user JWT and seed`,
          'A .creds file (from `nsc generate creds` or your NATS provider) has a "BEGIN NATS USER JWT" and a "BEGIN USER NKEY SEED" block.',
        );
      }
      o.authenticator = credsAuthenticator(new TextEncoder().encode(text));
      break;
    }
    default: {
      const never: never = profile.auth;
      throw configError(profile, `unknown authentication kind ${String(never)}`, 'Pick one of none, token, user/password, NKey, credentials file.');
    }
  }

  const tls = profile.tls;
  const wantsTls = profile.servers.some((s) => /^tls:\/\//i.test(s.trim()));
  if (tls && (tls.ca || tls.cert || tls.key)) {
    if (Boolean(tls.cert) !== Boolean(tls.key)) {
      throw configError(profile, 'a TLS client certificate needs both the certificate and its key', 'Set both the client certificate and key files, or neither.');
    }
    const t: NonNullable<NodeConnectionOptions['tls']> = {};
    // read up front so a wrong path is a config error, not a TLS error
    if (tls.ca) {
      readProfileFile(profile, 'CA file', tls.ca);
      t.caFile = expandHome(tls.ca);
    }
    if (tls.cert && tls.key) {
      readProfileFile(profile, 'client certificate', tls.cert);
      readProfileFile(profile, 'client key', tls.key);
      t.certFile = expandHome(tls.cert);
      t.keyFile = expandHome(tls.key);
    }
    o.tls = t;
  } else if (wantsTls) {
    // tls:// means "TLS or nothing": an empty options object makes nats.js insist on TLS
    o.tls = {};
  }
  return o;
}

/**
 * Connects with the profile's servers, auth and TLS. Rejects with a ConnectionError (already
 * classified); pass any other error through `classifyConnectError` yourself.
 */
export async function openConnection(profile: ConnectionProfile, secrets: ProfileSecrets, opts: OpenConnectionOptions = {}): Promise<NatsConnection> {
  const options = buildConnectOptions(profile, secrets, opts);
  let nc: NatsConnection;
  try {
    nc = await connect(options);
  } catch (err) {
    throw classifyConnectError(err, profile);
  }
  const backoff = backoffs.get(options);
  if (backoff) {
    // back to short waits once reconnected, for the next outage
    void (async () => {
      for await (const s of nc.status()) if (s.type === 'reconnect') backoff.reset();
    })().catch(() => undefined);
  }
  return nc;
}

/** The backoff behind a connect options object's reconnectDelayHandler. */
const backoffs = new WeakMap<NodeConnectionOptions, ReturnType<typeof reconnectBackoff>>();

function chain(err: unknown): unknown[] {
  const out: unknown[] = [];
  let cur: unknown = err;
  while (cur && out.length < 8 && !out.includes(cur)) {
    out.push(cur);
    cur = (cur as { cause?: unknown }).cause;
  }
  return out;
}

function textOf(errs: unknown[]): string {
  return errs
    .map((e) => {
      const x = e as { message?: unknown; code?: unknown };
      return `${typeof x.message === 'string' ? x.message : String(e)} ${typeof x.code === 'string' ? x.code : ''}`;
    })
    .join(' | ');
}

const TLS_CODES = /SELF_SIGNED_CERT|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT|CERT_HAS_EXPIRED|CERT_NOT_YET_VALID|ERR_TLS_CERT_ALTNAME_INVALID|DEPTH_ZERO_SELF_SIGNED_CERT|ERR_SSL_|EPROTO|certificate|handshake|tls|ssl/i;

/** Removes anything that looks like a secret of this profile from a server-provided string. */
function scrub(text: string, secrets?: ProfileSecrets, servers: readonly string[] = []): string {
  let t = text;
  const inUrl = splitUrlCredentials(servers).credentials;
  for (const s of [secrets?.token, secrets?.password, secrets?.nkeySeed, inUrl?.token, inUrl?.pass]) {
    if (s && s.length >= 3) t = t.split(s).join('***');
  }
  return t.replace(/\bSU[A-Z2-7]{20,}\b/g, 'SU***').replace(/\b([a-z][a-z0-9+.-]*:\/\/)([^@/\s]+)@/gi, (_m, scheme: string, info: string) => `${scheme}${info.includes(':') ? `${info.slice(0, info.indexOf(':'))}:***` : '***'}@`);
}

/**
 * Turns whatever connect() threw into a ConnectionError. Pass `secrets` when you have them
 * so any echo of them in a server message is masked (nats.js messages do not contain them).
 */
export function classifyConnectError(err: unknown, profile: ConnectionProfile, secrets?: ProfileSecrets): ConnectionError {
  if (err instanceof ConnectionError) return err;
  const errs = chain(err);
  const text = textOf(errs);
  const urls = describeServers(profile.servers);
  const who = profileLabel(profile);
  const detail = scrub(errs.length ? ((errs[0] as Error).message ?? String(err)) : String(err), secrets, profile.servers);

  if (errs.some((e) => e instanceof natsErrors.AuthorizationError) || /authorization violation|authentication (timeout|expired)|user authentication/i.test(text)) {
    const expired = errs.some((e) => e instanceof natsErrors.UserAuthenticationExpiredError) || /expired/i.test(text);
    // credentials written in the URL (nats://user:pass@host) are authentication too
    const inUrl = profile.auth === 'none' ? splitUrlCredentials(profile.servers).credentials : undefined;
    const kind: AuthKind = inUrl ? (inUrl.token !== undefined ? 'token' : 'userPassword') : profile.auth;
    const userName = kind === 'userPassword' ? (inUrl ? inUrl.user : profile.user) : undefined;
    const offered = `${AUTH_LABEL[kind] ?? kind}${userName ? ` of user "${userName}"` : ''}${inUrl ? ' in the server URL' : ''}`;
    const hint =
      kind === 'none'
        ? 'The server requires authentication: set a token, user/password, NKey or credentials file for this connection.'
        : expired
          ? 'The user credentials have expired; get a fresh .creds file.'
          : `Check the ${AUTH_LABEL[kind] ?? kind} for this connection; the server rejected it.`;
    const what =
      kind === 'none'
        ? `the server at ${urls} requires authentication and none is configured (authorization violation).`
        : `the server at ${urls} rejected the ${offered} (${expired ? 'credentials expired' : 'authorization violation'}).`;
    return new ConnectionError('auth', `Connection ${who}: ${what}`, hint, err);
  }

  const tlsUnavailable = /tls.*(is not available|not available on this server)|server does not support '?tls'?/i.test(text);
  const clientCertRequired = /certificate required|alert number 116|peer did not return a certificate|ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED|SSL alert number 40|ssl3_read_bytes:sslv3 alert handshake failure/i.test(text);
  const verifyFailed = /SELF_SIGNED_CERT|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|self[- ]signed certificate|unable to verify|ERR_TLS_CERT_ALTNAME_INVALID|Hostname\/IP does not match|CERT_HAS_EXPIRED|certificate has expired/i.test(text);
  if (tlsUnavailable) {
    return new ConnectionError('tls', `Connection ${who}: TLS was requested but the server at ${urls} does not offer TLS.`, 'Use a nats:// URL and remove the TLS settings, or enable TLS on the server.', err);
  }
  if (clientCertRequired && !verifyFailed) {
    return new ConnectionError(
      'tls',
      `Connection ${who}: the server at ${urls} requires a client certificate (mutual TLS) and did not accept the one offered.`,
      profile.tls?.cert ? 'Check that the client certificate is signed by a CA the server trusts and is meant for client auth.' : 'Set a client certificate and key (signed by a CA the server trusts) for this connection.',
      err,
    );
  }
  if (verifyFailed) {
    const altName = /ALTNAME|does not match/i.test(text);
    return new ConnectionError(
      'tls',
      `Connection ${who}: the server certificate at ${urls} could not be verified (${altName ? 'it does not name this host' : detailCode(errs) ?? 'untrusted issuer'}).`,
      altName
        ? 'Connect with the host name or IP the certificate was issued for.'
        : profile.tls?.ca
          ? 'The CA file does not match the CA that signed the server certificate; check the CA path.'
          : 'The server uses a certificate from a private CA: set the CA file for this connection.',
      err,
    );
  }
  if (/ECONNRESET|socket hang up|disconnected before secure TLS/i.test(text) && (profile.tls || /^tls:/i.test(profile.servers[0] ?? ''))) {
    // a server that rejects a client certificate signed by another CA just drops the handshake
    return new ConnectionError(
      'tls',
      // a server that requires a client certificate sometimes resets the handshake before
      // its "certificate required" alert reaches us: say so rather than a bare ECONNRESET
      `Connection ${who}: the TLS handshake with ${urls} failed (${detail})${profile.tls?.cert ? '; the server probably rejected the client certificate' : '; the server may require a client certificate (mutual TLS)'}.`,
      profile.tls?.cert ? 'Check that the client certificate is signed by a CA the server trusts.' : 'If the server verifies clients, set a client certificate and key; otherwise check the CA and that the server expects TLS on this port.',
      err,
    );
  }

  if (errs.some((e) => e instanceof natsErrors.TimeoutError) || /\btimeout\b|timed out|ETIMEDOUT/i.test(text)) {
    return new ConnectionError('timeout', `Connection ${who}: no answer from ${urls} in time.`, 'Check that the address is a NATS client port (not monitoring or cluster) and reachable; raise the connect timeout on slow links.', err);
  }
  if (/ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|EADDRNOTAVAIL|connection refused|getaddrinfo/i.test(text)) {
    const dns = /ENOTFOUND|EAI_AGAIN|getaddrinfo/i.test(text);
    return new ConnectionError(
      'unreachable',
      `Connection ${who}: ${dns ? 'cannot resolve the host of' : 'cannot reach'} ${urls}${dns ? '' : ' (connection refused)'}.`,
      dns ? 'Check the host name in the server URL.' : 'Check that nats-server is running and listening on that host and port.',
      err,
    );
  }
  if (errs.some((e) => e instanceof natsErrors.InvalidArgumentError) || /invalid url|invalid argument|ERR_INVALID_URL/i.test(text)) {
    return configError(profile, `the connection settings are not valid (${detail})`, 'Check the server URLs and options.', err);
  }
  if (/jetstream not enabled|JetStream not enabled/i.test(text)) {
    return new ConnectionError('noJetStream', `Connection ${who}: JetStream is not enabled for this account or server.`, 'Enable JetStream on the server (jetstream {} in its config) or for the account.', err);
  }
  if (TLS_CODES.test(text) && profile.tls) {
    return new ConnectionError('tls', `Connection ${who}: TLS failed (${detail}).`, 'Check the CA, client certificate and key files.', err);
  }
  return new ConnectionError('unknown', `Connection ${who}: could not connect to ${urls} (${detail}).`, 'See the output log for details.', err);
}

function detailCode(errs: unknown[]): string | undefined {
  for (const e of errs) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /CERT|SIGNED|VERIFY/.test(code)) return code;
  }
  return undefined;
}
