import * as vscode from 'vscode';
import { AUTH_KINDS, redactServerUrl, splitServers, type ConnectionProfile, type ProfileSecrets } from '../../nats/profile';

const SETTING = 'natsFlow.connections';
const ACTIVE_KEY = 'natsFlow.activeProfile';
const secretKey = (id: string) => `natsFlow.secret.${id}`;

/** What settings.json holds for a profile: no secrets, ever. */
export interface StoredProfile {
  id: string;
  name: string;
  servers: string[] | string;
  auth?: ConnectionProfile['auth'];
  user?: string;
  credsFile?: string;
  tls?: ConnectionProfile['tls'];
  description?: string;
  jsDomain?: string;
  jsApiPrefix?: string;
}

export interface ProfileProblem {
  where: string;
  message: string;
}

/**
 * Connection profiles: their settings live in `natsFlow.connections` (user settings, or the
 * workspace's when it is trusted), their secrets in SecretStorage under the profile id.
 * natscli contexts and NATS_URL appear as extra, read-only profiles until imported.
 */
export class ProfileStore implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];
  /** Problems found in the last read (bad entries are skipped and reported, never dropped from settings). */
  problems: ProfileProblem[] = [];
  private external: ConnectionProfile[] = [];

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly state: vscode.Memento,
    private readonly env: Record<string, string | undefined> = process.env,
  ) {
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration(SETTING) && this.changed.fire()),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.changed.fire()),
    );
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }

  /** Profiles from settings. An untrusted workspace's value is ignored (it could point us at any server). */
  configured(): ConnectionProfile[] {
    const inspected = vscode.workspace.getConfiguration().inspect<StoredProfile[]>(SETTING);
    const user = inspected?.globalValue ?? [];
    const workspace = vscode.workspace.isTrusted ? (inspected?.workspaceValue ?? []) : [];
    const problems: ProfileProblem[] = [];
    const out: ConnectionProfile[] = [];
    const seen = new Set<string>();
    const take = (list: unknown, source: 'user' | 'workspace') => {
      if (!Array.isArray(list)) {
        problems.push({ where: `${source} settings ${SETTING}`, message: 'must be an array of profiles' });
        return;
      }
      list.forEach((raw, i) => {
        const p = parseStoredProfile(raw, source);
        if (typeof p === 'string') problems.push({ where: `${source} settings ${SETTING}[${i}]`, message: p });
        else if (seen.has(p.id)) problems.push({ where: `${source} settings ${SETTING}[${i}]`, message: `duplicate id "${p.id}"` });
        else {
          seen.add(p.id);
          out.push(p);
        }
      });
    };
    take(user, 'user');
    take(workspace, 'workspace');
    this.problems = problems;
    return out;
  }

  /** Sets natscli contexts and the NATS_URL profile shown beside the configured ones. */
  setExternal(profiles: ConnectionProfile[]): void {
    this.external = profiles;
    this.changed.fire();
  }

  all(): ConnectionProfile[] {
    const configured = this.configured();
    const ids = new Set(configured.map((p) => p.id));
    return [...configured, ...this.external.filter((p) => !ids.has(p.id))];
  }

  get(id: string): ConnectionProfile | undefined {
    return this.all().find((p) => p.id === id);
  }

  /** Adds or replaces a profile in user settings; secrets go to SecretStorage. */
  async save(profile: ConnectionProfile, secrets: ProfileSecrets | undefined): Promise<void> {
    const config = vscode.workspace.getConfiguration();
    const current = [...(config.inspect<StoredProfile[]>(SETTING)?.globalValue ?? [])];
    const stored = toStored(profile);
    const index = current.findIndex((p) => p && p.id === profile.id);
    if (index >= 0) current[index] = stored;
    else current.push(stored);
    if (secrets !== undefined) await this.setSecrets(profile.id, secrets);
    await config.update(SETTING, current, vscode.ConfigurationTarget.Global);
    this.changed.fire();
  }

  /** Removes a user-settings profile and its secrets. Returns false when it is not a user profile. */
  async remove(id: string): Promise<boolean> {
    const config = vscode.workspace.getConfiguration();
    const current = config.inspect<StoredProfile[]>(SETTING)?.globalValue ?? [];
    const next = current.filter((p) => !(p && p.id === id));
    if (next.length === current.length) return false;
    await config.update(SETTING, next, vscode.ConfigurationTarget.Global);
    await this.secrets.delete(secretKey(id));
    this.changed.fire();
    return true;
  }

  async getSecrets(id: string): Promise<ProfileSecrets> {
    const raw = await this.secrets.get(secretKey(id));
    if (!raw) return this.external.find((p) => p.id === id) ? (this.externalSecrets.get(id) ?? {}) : {};
    try {
      return JSON.parse(raw) as ProfileSecrets;
    } catch {
      return {};
    }
  }

  async setSecrets(id: string, secrets: ProfileSecrets): Promise<void> {
    const clean = Object.fromEntries(Object.entries(secrets).filter(([, v]) => typeof v === 'string' && v.length > 0));
    if (Object.keys(clean).length === 0) await this.secrets.delete(secretKey(id));
    else await this.secrets.store(secretKey(id), JSON.stringify(clean));
  }

  /** Secrets of external profiles (natscli contexts carry theirs in their own files) stay in memory. */
  readonly externalSecrets = new Map<string, ProfileSecrets>();

  activeId(): string | undefined {
    return this.state.get<string>(ACTIVE_KEY);
  }

  async setActiveId(id: string | undefined): Promise<void> {
    await this.state.update(ACTIVE_KEY, id);
  }

  /** NATS_URL as a profile, the way natscli uses it when no context is given. */
  envProfile(): ConnectionProfile | undefined {
    const url = this.env.NATS_URL;
    if (!url) return undefined;
    return { id: 'env:NATS_URL', name: 'NATS_URL', servers: splitServers(url), auth: 'none', source: 'env', description: 'from the NATS_URL environment variable' };
  }
}

function toStored(p: ConnectionProfile): StoredProfile {
  const s: StoredProfile = { id: p.id, name: p.name, servers: p.servers, auth: p.auth };
  if (p.user) s.user = p.user;
  if (p.credsFile) s.credsFile = p.credsFile;
  if (p.tls && (p.tls.ca || p.tls.cert || p.tls.key)) s.tls = { ...p.tls };
  if (p.description) s.description = p.description;
  if (p.jsDomain) s.jsDomain = p.jsDomain;
  if (p.jsApiPrefix) s.jsApiPrefix = p.jsApiPrefix;
  return s;
}

/** Validates one settings entry; returns the reason when it is unusable. */
export function parseStoredProfile(raw: unknown, source: 'user' | 'workspace'): ConnectionProfile | string {
  if (!raw || typeof raw !== 'object') return 'is not an object';
  const r = raw as Record<string, unknown>;
  if (typeof r.name !== 'string' || !r.name.trim()) return 'has no "name"';
  const id = typeof r.id === 'string' && r.id.trim() ? r.id.trim() : `${source}:${r.name.trim()}`;
  const servers = typeof r.servers === 'string' ? splitServers(r.servers) : Array.isArray(r.servers) ? r.servers.filter((s): s is string => typeof s === 'string' && s.trim() !== '') : [];
  if (servers.length === 0) return `profile "${r.name}" has no "servers" (a URL such as nats://127.0.0.1:4222)`;
  for (const s of servers) {
    const problem = checkServerUrl(s);
    if (problem) return `profile "${r.name}": ${problem}`;
  }
  const auth = (r.auth ?? 'none') as ConnectionProfile['auth'];
  if (!AUTH_KINDS.includes(auth)) return `profile "${r.name}" has auth "${String(r.auth)}"; allowed: ${AUTH_KINDS.join(', ')}`;
  const p: ConnectionProfile = { id, name: r.name.trim(), servers, auth, source };
  if (typeof r.user === 'string') p.user = r.user;
  if (typeof r.credsFile === 'string') p.credsFile = r.credsFile;
  if (r.tls && typeof r.tls === 'object') {
    const t = r.tls as Record<string, unknown>;
    p.tls = {};
    for (const k of ['ca', 'cert', 'key'] as const) if (typeof t[k] === 'string' && t[k]) p.tls[k] = t[k] as string;
  }
  if (typeof r.description === 'string') p.description = r.description;
  if (typeof r.jsDomain === 'string' && r.jsDomain.trim()) p.jsDomain = r.jsDomain.trim();
  if (typeof r.jsApiPrefix === 'string' && r.jsApiPrefix.trim()) p.jsApiPrefix = r.jsApiPrefix.trim();
  if (auth === 'userPassword' && !p.user) return `profile "${r.name}" uses user+password auth but has no "user"`;
  if (auth === 'creds' && !p.credsFile) return `profile "${r.name}" uses creds auth but has no "credsFile"`;
  return p;
}

// @nats-io/transport-node speaks the NATS protocol over TCP; websocket URLs need another transport
const SCHEMES = ['nats:', 'tls:'];

/**
 * Checks a server URL the way nats.js will read it; bare host:port is allowed (nats:// is
 * implied). Credentials inside the URL are refused: a profile keeps them in secret storage.
 */
export function checkServerUrl(value: string): string | undefined {
  const shown = redactServerUrl(value);
  const withScheme = /^[a-z]+:\/\//i.test(value) ? value : `nats://${value}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return `"${shown}" is not a server URL (expected nats://host:port)`;
  }
  if (!SCHEMES.includes(url.protocol)) return `"${shown}" uses ${url.protocol}//; allowed schemes: nats://, tls://`;
  if (!url.hostname) return `"${shown}" has no host`;
  if (url.port && (Number(url.port) < 1 || Number(url.port) > 65535)) return `"${shown}" has port ${url.port}, outside 1-65535`;
  if (url.username || url.password) return `"${shown}" carries credentials; choose them as the profile's authentication instead, so they are kept in secret storage`;
  return undefined;
}
