/**
 * natscli contexts: `<config>/nats/context/<name>.json` plus the selected name in
 * `<config>/nats/context.txt`, where `<config>` is $XDG_CONFIG_HOME or ~/.config (the
 * same rule as jsm.go's natscontext package). Read-only: we import, natscli owns the files.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { splitServers, type ConnectionProfile, type ProfileSecrets } from './profile';

/** The fields of a natscli context file (jsm.go natscontext settings); all optional on disk. */
export interface NatsContextFile {
  description?: string;
  url?: string;
  token?: string;
  user?: string;
  password?: string;
  creds?: string;
  /** Path of a file holding the NKey user seed. */
  nkey?: string;
  cert?: string;
  key?: string;
  ca?: string;
  nsc?: string;
  jetstream_domain?: string;
  jetstream_api_prefix?: string;
  jetstream_event_prefix?: string;
  inbox_prefix?: string;
  user_jwt?: string;
  user_seed?: string;
  socks_proxy?: string;
  color_scheme?: string;
  tls_first?: boolean;
  windows_cert_store?: string;
  [field: string]: unknown;
}

export interface NatsContextEntry {
  /** Context name (file name without `.json`). */
  name: string;
  /** Path of the context file. */
  path: string;
  /** Parsed content; absent when `error` is set. */
  context?: NatsContextFile;
  /** Why this context could not be read ("… is not valid JSON: …"); the others still load. */
  error?: string;
}

export interface NatsContextOptions {
  /** The config dir that holds `nats/` (what XDG_CONFIG_HOME would be). Default from `env`. */
  configDir?: string;
  /** Environment to read XDG_CONFIG_HOME and HOME from. Default process.env. */
  env?: NodeJS.ProcessEnv;
}

export interface ContextProfile {
  profile: ConnectionProfile;
  secrets: ProfileSecrets;
  /** Settings we do not use or could not read, one sentence each (no secret values). */
  warnings: string[];
}

function homeOf(env: NodeJS.ProcessEnv): string {
  return env.HOME || homedir();
}

/** `<config>/nats`, honouring configDir, then XDG_CONFIG_HOME, then ~/.config. */
export function natsConfigDir(opts: NatsContextOptions = {}): string {
  const env = opts.env ?? process.env;
  const base = opts.configDir ?? (env.XDG_CONFIG_HOME || join(homeOf(env), '.config'));
  return join(base, 'nats');
}

function contextDir(opts: NatsContextOptions): string {
  return join(natsConfigDir(opts), 'context');
}

/** A context name natscli would accept (no path separators, no `..`). */
function validName(name: string): boolean {
  return name !== '' && !name.includes('..') && !name.includes('/') && !name.includes('\\');
}

/** The selected context (context.txt), or undefined when none is selected or it is unreadable. */
export function selectedContextName(opts: NatsContextOptions = {}): string | undefined {
  try {
    const name = readFileSync(join(natsConfigDir(opts), 'context.txt'), 'utf8').trim();
    return name && validName(name) ? name : undefined;
  } catch {
    return undefined;
  }
}

/** Reads one context by name. Never throws: problems come back in `error`. */
export function readContext(name: string, opts: NatsContextOptions = {}): NatsContextEntry {
  const path = join(contextDir(opts), `${name}.json`);
  if (!validName(name)) return { name, path, error: `"${name}" is not a valid context name` };
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return { name, path, error: code === 'ENOENT' ? `no natscli context "${name}" (${path} does not exist)` : `cannot read ${path} (${code ?? String(err)})` };
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return { name, path, error: `${path} is not a JSON object` };
    return { name, path, context: parsed as NatsContextFile };
  } catch (err) {
    return { name, path, error: `${path} is not valid JSON: ${(err as Error).message}` };
  }
}

/** Every context, sorted by name; a broken file is an entry with `error`, not an exception. */
export function listContexts(opts: NatsContextOptions = {}): NatsContextEntry[] {
  let files: string[];
  try {
    files = readdirSync(contextDir(opts));
  } catch {
    return [];
  }
  return files
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length))
    .sort((a, b) => a.localeCompare(b))
    .map((name) => readContext(name, opts));
}

function expandPath(p: string, env: NodeJS.ProcessEnv): string {
  // natscli expands ~ for creds/nkey/cert paths and $VARS in creds
  let out = p.replace(/\$\{(\w+)\}|\$(\w+)/g, (_m, a: string | undefined, b: string | undefined) => env[(a ?? b)!] ?? '');
  if (out === '~' || out.startsWith('~/')) out = homeOf(env) + out.slice(1);
  return out;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v : undefined);

/**
 * Maps a natscli context to a profile and its secrets, using natscli's precedence: user
 * (with password) over creds over nkey; a token is also sent when set. Reads the NKey seed
 * file (natscli's `nkey` is a path); a file that cannot be read becomes a warning and the
 * profile keeps auth `nkey` with no seed, so connecting reports a clear config error.
 */
export function contextToProfile(name: string, ctx: NatsContextFile, opts: NatsContextOptions = {}): ContextProfile {
  const env = opts.env ?? process.env;
  const warnings: string[] = [];
  const secrets: ProfileSecrets = {};
  const profile: ConnectionProfile = {
    id: `context:${name}`,
    name,
    servers: splitServers(str(ctx.url) ?? 'nats://127.0.0.1:4222'),
    auth: 'none',
    source: 'context',
    contextName: name,
  };
  if (!str(ctx.url)) warnings.push('no url set; using natscli\'s default nats://127.0.0.1:4222');
  const description = str(ctx.description);
  if (description) profile.description = description;

  const user = str(ctx.user);
  const creds = str(ctx.creds);
  const nkey = str(ctx.nkey);
  const token = str(ctx.token);
  if (user) {
    // jsm.go sends UserInfo(user, password) even when the password is empty
    profile.auth = 'userPassword';
    profile.user = user;
    secrets.password = typeof ctx.password === 'string' ? ctx.password : '';
  } else if (creds) {
    if (creds.startsWith('op://')) {
      warnings.push('creds is a 1Password reference (op://), which is not supported; export the .creds file and point the context at it');
    } else {
      profile.auth = 'creds';
      profile.credsFile = expandPath(creds, env);
    }
  } else if (nkey) {
    profile.auth = 'nkey';
    const path = expandPath(nkey, env);
    try {
      const seed = /\bSU[A-Z2-7]{50,}\b/.exec(readFileSync(path, 'utf8'))?.[0];
      if (seed) secrets.nkeySeed = seed;
      else warnings.push(`nkey file ${path} does not contain an NKey user seed (SU…)`);
    } catch (err) {
      warnings.push(`cannot read the nkey seed file ${path} (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
    }
  }
  if (token) {
    if (profile.auth === 'none' || profile.auth === 'token') {
      profile.auth = 'token';
      secrets.token = token;
    } else {
      warnings.push(`token is set along with ${profile.auth === 'userPassword' ? 'user/password' : profile.auth}; NATS Flow uses only the ${profile.auth === 'userPassword' ? 'user/password' : profile.auth}`);
    }
  }

  const ca = str(ctx.ca);
  const cert = str(ctx.cert);
  const key = str(ctx.key);
  if (ca || cert || key) {
    profile.tls = {};
    if (ca) profile.tls.ca = expandPath(ca, env);
    if (cert && key) {
      profile.tls.cert = expandPath(cert, env);
      profile.tls.key = expandPath(key, env);
    } else if (cert || key) {
      warnings.push(`${cert ? 'cert' : 'key'} is set without ${cert ? 'key' : 'cert'}; natscli ignores a lone one, and so do we`);
    }
  }

  if (str(ctx.jetstream_domain)) profile.jsDomain = str(ctx.jetstream_domain);
  if (str(ctx.jetstream_api_prefix)) profile.jsApiPrefix = str(ctx.jetstream_api_prefix);

  const unsupported: Array<[keyof NatsContextFile, string]> = [
    ['jetstream_event_prefix', 'JetStream event prefix'],
    ['inbox_prefix', 'inbox prefix'],
    ['nsc', 'nsc lookup'],
    ['user_jwt', 'user JWT'],
    ['user_seed', 'user seed'],
    ['socks_proxy', 'SOCKS proxy'],
    ['windows_cert_store', 'Windows certificate store'],
  ];
  for (const [field, label] of unsupported) {
    const v = ctx[field];
    // values are left out on purpose: user_seed and user_jwt are secrets
    if (str(v)) warnings.push(`${label} (${String(field)}) is not supported yet and is ignored`);
  }
  if (ctx.tls_first === true) warnings.push('TLS handshake first (tls_first) is not supported yet and is ignored');
  return { profile, secrets, warnings };
}
