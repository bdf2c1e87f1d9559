/**
 * What the connected server is and can do: identity from INFO, JetStream by asking the
 * server (INFO's `jetstream` flag says the server has it, not that this account may use it),
 * and a feature table by server version so the UI can disable what the server lacks and say why.
 */
import type { NatsConnection } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';

export interface ServerSummary {
  serverName: string;
  serverId: string;
  /** e.g. `2.14.5` */
  version: string;
  cluster?: string;
  /** JetStream usable by this connection's account (the server answered `$JS.API.INFO`). */
  jetstream: boolean;
  /** Why `jetstream` is false, when it is ("not enabled for this account", "no responders", …). */
  jetstreamReason?: string;
  /** JetStream domain, when the account info names one. */
  domain?: string;
  /** JetStream API level (nats-server 2.11+), when reported. */
  apiLevel?: number;
  /**
   * The version the JetStream server that answers stands for, when it is not the connected
   * server's (a leaf node to an older hub, a domain elsewhere): `2.10.0`, `2.11.0`… (a minimum).
   */
  jetStreamVersion?: string;
  rttMs: number;
  /** The URL of the server this connection is on right now. */
  connectedUrl: string;
  maxPayload: number;
  /** Whether the server supports message headers. */
  headers: boolean;
}

export interface DescribeServerOptions {
  /** Timeout for the JetStream probe. Default 3000 ms. */
  timeoutMs?: number;
  /** The JetStream domain or API prefix to probe (see jetStreamOptions). */
  domain?: string;
  apiPrefix?: string;
}

/**
 * Summarises the server `nc` is connected to. Never throws for a server without JetStream:
 * `jetstream` is false and `jetstreamReason` says why. Throws only when the connection is closed.
 */
export async function describeServer(nc: NatsConnection, opts: DescribeServerOptions = {}): Promise<ServerSummary> {
  const info = nc.info;
  if (!info) throw new Error('describeServer: the connection has no server INFO (is it closed?)');
  const rttMs = await nc.rtt();
  const summary: ServerSummary = {
    serverName: info.server_name,
    serverId: info.server_id,
    version: info.version,
    cluster: info.cluster || undefined,
    jetstream: false,
    rttMs,
    connectedUrl: nc.getServer(),
    maxPayload: info.max_payload,
    headers: info.headers === true,
  };
  try {
    // checkAPI (the default) makes jetstreamManager ask $JS.API.INFO for this account
    const jsm = await jetstreamManager(nc, { timeout: opts.timeoutMs ?? 3000, ...(opts.apiPrefix ? { apiPrefix: opts.apiPrefix } : opts.domain ? { domain: opts.domain } : {}) });
    const account = await jsm.getAccountInfo();
    summary.jetstream = true;
    if (account.domain) summary.domain = account.domain;
    // the level of the JetStream API that answered, not of the server we are connected to
    if (account.api?.level !== undefined) summary.apiLevel = account.api.level;
    const jsv = jetStreamVersion(info.version, account);
    if (jsv !== info.version) summary.jetStreamVersion = jsv;
  } catch (err) {
    summary.jetstreamReason = jetStreamReason(err, info.jetstream === true);
  }
  return summary;
}

function jetStreamReason(err: unknown, advertised: boolean): string {
  const text = errorText(err);
  if (/not enabled for account|10039/i.test(text)) return 'JetStream is not enabled for this account';
  if (/no responders|503|jetstream not enabled|JetStreamNotEnabled/i.test(text)) {
    return advertised ? 'JetStream is enabled on the server but not for this account' : 'JetStream is not enabled on this server';
  }
  if (/timeout/i.test(text)) return 'JetStream did not answer in time';
  if (/permission/i.test(text)) return 'this user may not use the JetStream API (permissions violation)';
  return `JetStream is not usable: ${text.split('\n')[0]}`;
}

function errorText(err: unknown): string {
  const parts: string[] = [];
  let cur: unknown = err;
  for (let i = 0; cur && i < 5; i++) {
    const e = cur as { name?: string; message?: string; code?: unknown };
    parts.push(`${e.name ?? ''} ${e.message ?? String(cur)} ${e.code ?? ''}`);
    cur = (cur as { cause?: unknown }).cause;
  }
  return parts.join(' | ');
}

// ---------------------------------------------------------------------------------------
// Versions and features

/** The JetStream API level a server version has (2.11 brought levels; 2.14.x reports 4). */
function apiLevelOf(version: string): number | undefined {
  const v = version.replace(/-.*$/, '');
  if (compareVersions(v, '2.14.0') >= 0) return 4;
  if (compareVersions(v, '2.12.0') >= 0) return 2;
  if (compareVersions(v, '2.11.0') >= 0) return 1;
  return undefined;
}

/**
 * The version to judge JetStream features by, from the JetStream API's own answer
 * (`$JS.API.INFO`): its `api.level` (2.11+) or its absence (older). When the connected
 * server's version agrees with that answer it is kept (it is exact); otherwise the answer
 * wins, as a minimum version: behind a leaf node or in another domain the JetStream server
 * that answers is not the one we are connected to. Without a level, `reserved_memory`
 * (2.10+) tells 2.10 from 2.9.
 */
export function jetStreamVersion(connectedVersion: string, account: { api?: { level?: number }; reserved_memory?: number }): string {
  const level = account.api?.level;
  if (level === apiLevelOf(connectedVersion)) return connectedVersion;
  if (level === undefined) return account.reserved_memory !== undefined ? '2.10.0' : '2.9.0';
  return level >= 4 ? '2.14.0' : level >= 2 ? '2.12.0' : '2.11.0';
}

/**
 * Compares `x.y.z` versions numerically (a leading `v` and a `-beta.1` style suffix are
 * allowed; a pre-release sorts before its release). Returns -1, 0 or 1.
 */
export function compareVersions(a: string, b: string): -1 | 0 | 1 {
  const pa = parseVersion(a);
  const pb = parseVersion(b);
  for (let i = 0; i < 3; i++) {
    if (pa.nums[i] !== pb.nums[i]) return pa.nums[i] < pb.nums[i] ? -1 : 1;
  }
  if (pa.pre === pb.pre) return 0;
  if (!pa.pre) return 1;
  if (!pb.pre) return -1;
  return pa.pre < pb.pre ? -1 : 1;
}

function parseVersion(v: string): { nums: [number, number, number]; pre: string } {
  const m = /^\s*v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-([0-9A-Za-z.-]+))?/.exec(v);
  if (!m) return { nums: [0, 0, 0], pre: '' };
  return { nums: [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)], pre: m[4] ?? '' };
}

/** Server features the product gates on, with the first nats-server release that has them (nats-facts.md). */
export const SERVER_FEATURES = {
  multiFilter: { since: '2.10.0', label: 'multi-filter consumers' },
  metadata: { since: '2.10.0', label: 'stream, consumer and KV metadata' },
  pause: { since: '2.11.0', label: 'consumer pause/resume' },
  batchDirectGet: { since: '2.11.0', label: 'batched direct get (reading a stream without a consumer)' },
  perMessageTtl: { since: '2.11.0', label: 'per-message TTL (Nats-TTL)' },
  priorityGroups: { since: '2.11.0', label: 'pull priority groups (pinned/overflow)' },
  atomicBatch: { since: '2.12.0', label: 'atomic batch publish' },
  counters: { since: '2.12.0', label: 'counters (AllowMsgCounter)' },
  schedules: { since: '2.12.0', label: 'delayed messages (AllowMsgSchedules)' },
  consumerReset: { since: '2.14.0', label: 'consumer reset to a sequence' },
} as const satisfies Record<string, { since: string; label: string }>;

export type ServerFeature = keyof typeof SERVER_FEATURES;

export interface FeatureSupport {
  supported: boolean;
  /** Minimum server version, e.g. `2.11` (shown as "2.11"). */
  since: string;
  /** Why it is disabled: "needs nats-server 2.11 or later; connected to 2.9.10". Absent when supported. */
  reason?: string;
}

/** Whether a server of `version` has `feature`, and if not, a sentence saying why. */
export function serverSupports(version: string, feature: ServerFeature, describe?: string): FeatureSupport {
  const f = SERVER_FEATURES[feature];
  const since = f.since.replace(/\.0$/, '');
  if (!/\d+\.\d+/.test(version)) {
    return { supported: false, since, reason: `needs nats-server ${since} or later; the connected server's version (${version || 'unknown'}) is unknown` };
  }
  // a 2.11.0-rc already carries 2.11's features, so compare the release triple only
  const supported = compareVersions(version.replace(/-.*$/, ''), f.since) >= 0;
  return supported ? { supported, since } : { supported, since, reason: `needs nats-server ${since} or later; ${describe ?? `connected to ${version.replace(/^v/, '')}`}` };
}

/** Every feature at once, for a UI that renders the table. */
export function featureTable(version: string, describe?: string): Record<ServerFeature, FeatureSupport> {
  const out = {} as Record<ServerFeature, FeatureSupport>;
  for (const k of Object.keys(SERVER_FEATURES) as ServerFeature[]) out[k] = serverSupports(version, k, describe);
  return out;
}
