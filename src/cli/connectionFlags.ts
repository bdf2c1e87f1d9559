import { readFileSync } from 'node:fs';
import type { NatsConnection } from '@nats-io/transport-node';
import { describeServers, splitServers, type ConnectionProfile, type ProfileSecrets } from '../nats/profile';
import { UsageError, type CliIO } from './command';
import { watchConnection } from './connectionWatch';

/** natscli's connection flags, so `nats-flow` feels like `nats` (parseArgs option table). */
export const connectionOptions = {
  server: { type: 'string', short: 's' },
  context: { type: 'string' },
  creds: { type: 'string' },
  nkey: { type: 'string' },
  user: { type: 'string' },
  password: { type: 'string' },
  token: { type: 'string' },
  tlsca: { type: 'string' },
  tlscert: { type: 'string' },
  tlskey: { type: 'string' },
  timeout: { type: 'string' },
  'js-domain': { type: 'string' },
  'js-api-prefix': { type: 'string' },
} as const;

export const connectionUsage = `Connection flags (as natscli):
  -s, --server URL[,URL]   server URL(s); default: the natscli context, then NATS_URL, then nats://127.0.0.1:4222
      --context NAME       use a natscli context (~/.config/nats/context/NAME.json)
      --creds FILE         user credentials file (JWT + NKey)
      --nkey FILE          NKey user seed file
      --user USER          user name (with --password)
      --password PASS      password
      --token TOKEN        authentication token
      --tlsca FILE         CA to verify the server
      --tlscert FILE       client certificate (with --tlskey)
      --tlskey FILE        client key
      --timeout DURATION   connect timeout, e.g. 5s (default 5s)
      --js-domain DOMAIN   JetStream domain (API at $JS.<domain>.API)
      --js-api-prefix P    JetStream API prefix (an imported JetStream API)`;

export type ConnectionFlagValues = Partial<Record<keyof typeof connectionOptions, string>>;

/**
 * Builds the profile the flags describe. Like natscli: a context (given, else the selected
 * one) is the base; NATS_URL stands in when no context is selected; explicit flags win.
 */
export async function profileFromFlags(flags: ConnectionFlagValues, io: CliIO): Promise<{ profile: ConnectionProfile; secrets: ProfileSecrets; timeoutMs: number }> {
  let profile: ConnectionProfile = { id: 'cli', name: 'command line', servers: [], auth: 'none', source: 'cli' };
  let secrets: ProfileSecrets = {};
  const { readContext, selectedContextName, contextToProfile } = await import('../nats/natsContext');
  // like natscli, the selected context applies even with --server: flags override its fields
  const contextName = flags.context ?? selectedContextName({ env: io.env });
  if (contextName) {
    const ctx = readContext(contextName, { env: io.env });
    if ('error' in ctx && ctx.error) throw new UsageError(`--context ${contextName}: ${ctx.error}`);
    ({ profile, secrets } = contextToProfile(contextName, ctx.context!));
  }
  if (flags.server !== undefined) {
    profile.servers = splitServers(flags.server);
    // natscli refuses an empty --server too, rather than falling back to a default
    if (profile.servers.length === 0) throw new UsageError('--server is empty; give a URL such as nats://127.0.0.1:4222');
  }
  if (profile.servers.length === 0) profile.servers = splitServers(io.env.NATS_URL ?? 'nats://127.0.0.1:4222');
  if (flags.user !== undefined || flags.password !== undefined) {
    if (!flags.user) throw new UsageError('--password needs --user');
    profile = { ...profile, auth: 'userPassword', user: flags.user };
    secrets = { password: flags.password ?? '' };
  }
  if (flags.token !== undefined) {
    profile = { ...profile, auth: 'token' };
    secrets = { token: flags.token };
  }
  if (flags.creds !== undefined) profile = { ...profile, auth: 'creds', credsFile: flags.creds };
  if (flags.nkey !== undefined) {
    let seed: string;
    try {
      seed = readFileSync(flags.nkey, 'utf8').trim();
    } catch (err) {
      // a file that cannot be read is a failure (exit 1), as for --creds, not bad usage
      const code = (err as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' ? 'does not exist' : code === 'EACCES' ? 'is not readable (permission denied)' : code === 'EISDIR' ? 'is not a file' : `cannot be read (${code ?? String(err)})`;
      throw new CliFailure(`--nkey: the NKey seed file ${flags.nkey} ${why}`);
    }
    profile = { ...profile, auth: 'nkey' };
    secrets = { nkeySeed: seed };
  }
  if (flags.tlsca || flags.tlscert || flags.tlskey) {
    if (Boolean(flags.tlscert) !== Boolean(flags.tlskey)) throw new UsageError('--tlscert and --tlskey go together');
    profile = { ...profile, tls: { ...profile.tls, ...(flags.tlsca ? { ca: flags.tlsca } : {}), ...(flags.tlscert ? { cert: flags.tlscert, key: flags.tlskey } : {}) } };
  }
  if (flags['js-domain'] !== undefined) profile = { ...profile, jsDomain: flags['js-domain'] };
  if (flags['js-api-prefix'] !== undefined) profile = { ...profile, jsApiPrefix: flags['js-api-prefix'] };
  return { profile, secrets, timeoutMs: flags.timeout ? parseDurationFlag('--timeout', flags.timeout) : 5000 };
}

/** Opens the connection the flags describe (with its profile), turning failures into one clear line. */
export async function connectFromFlags(
  flags: ConnectionFlagValues,
  io: CliIO,
  /** For long-running commands (tail): keep reconnecting instead of failing on a drop. */
  stay?: { reconnectTimeWaitMs: number },
): Promise<{ nc: NatsConnection; profile: ConnectionProfile; timeoutMs: number }> {
  const { profile, secrets, timeoutMs } = await profileFromFlags(flags, io);
  const { openConnection, classifyConnectError } = await import('../nats/connect');
  const reconnect = stay ? { reconnect: true, maxReconnectAttempts: -1, reconnectTimeWaitMs: stay.reconnectTimeWaitMs, reconnectMaxWaitMs: 2000 } : { reconnect: false };
  try {
    const nc = await openConnection(profile, secrets, { name: 'nats-flow CLI', timeoutMs, ...reconnect });
    // a connection that does not reconnect ends with the server: main names the server then
    if (!stay) watchConnection(io, nc, describeServers(profile.servers));
    return { nc, profile, timeoutMs };
  } catch (err) {
    const ce = classifyConnectError(err, profile);
    throw new CliFailure(`${ce.message}${ce.hint ? `\n  hint: ${ce.hint}` : ''}`);
  }
}

/** A failure that is already a clear message: main prints it and exits 1. */
export class CliFailure extends Error {
  override name = 'CliFailure';
}

/** natscli-style durations: 500ms, 5s, 2m, 1h; a bare number is seconds. */
export function parseDurationFlag(flag: string, value: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(value.trim());
  if (!m) throw new UsageError(`${flag} "${value}" is not a duration (use e.g. 500ms, 5s, 2m, 1h)`);
  const n = Number(m[1]);
  const unit = m[2] ?? 's';
  const ms = Math.round(n * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[unit]!);
  if (ms < 1) throw new UsageError(`${flag} "${value}" is zero; give a positive duration`);
  return ms;
}
