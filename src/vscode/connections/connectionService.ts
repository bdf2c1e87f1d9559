import * as vscode from 'vscode';
import type { NatsConnection } from '@nats-io/transport-node';
import { describeServers, type ConnectionProfile } from '../../nats/profile';
import type { ServerSummary } from '../../nats/serverInfo';
import { ContextKeys } from '../commands';
import { log } from '../log';
import type { ProfileStore } from './profileStore';

export type ConnectionState = 'disconnected' | 'connecting' | 'connected' | 'reconnecting' | 'failed';

export interface ConnectionSnapshot {
  state: ConnectionState;
  profile?: ConnectionProfile;
  server?: ServerSummary;
  /** The last failure, already in words a user can act on. */
  error?: { kind: string; message: string; hint?: string };
}

/** The NATS client is heavy: load it on first connect, not in activate(). */
const loadNats = () => import('../../nats/index');

/**
 * Owns the one active NATS connection: connects a profile, follows the client's status
 * stream (disconnect → reconnecting → reconnect) and refreshes round-trip time, and tells
 * listeners (status bar, explorer) whenever any of that changes.
 */
export class ConnectionService implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ConnectionSnapshot>();
  readonly onDidChange = this.changed.event;
  private snapshot: ConnectionSnapshot = { state: 'disconnected' };
  private nc: NatsConnection | undefined;
  private rttTimer: NodeJS.Timeout | undefined;
  /** Bumped on every connect/disconnect so a slow, superseded attempt cannot win. */
  private generation = 0;

  constructor(private readonly profiles: ProfileStore) {}

  get current(): ConnectionSnapshot {
    return this.snapshot;
  }

  /** The live connection, or an error that says how to get one. */
  connection(): NatsConnection {
    if (!this.nc || this.snapshot.state !== 'connected') {
      throw new Error(this.snapshot.state === 'reconnecting' ? 'NATS connection is reconnecting; try again in a moment.' : 'Not connected to NATS. Run "NATS: Connect" first.');
    }
    return this.nc;
  }

  async connect(profile: ConnectionProfile): Promise<ConnectionSnapshot> {
    const generation = await this.closeCurrent();
    this.update({ state: 'connecting', profile });
    log().info(`connecting to "${profile.name}" (${describeServers(profile.servers)}, auth ${profile.auth})`);
    const nats = await loadNats();
    const secrets = await this.profiles.getSecrets(profile.id);
    let nc: NatsConnection;
    try {
      // a short reconnect wait (with as many tries as nats.js's 10 × 2 s) so open tails are
      // back within 2 s of the server accepting connections again
      nc = await nats.openConnection(profile, secrets, { name: `NATS Flow (VS Code)`, timeoutMs: timeoutSetting(), reconnect: true, reconnectTimeWaitMs: 250, maxReconnectAttempts: 80 });
    } catch (err) {
      if (generation !== this.generation) return this.snapshot;
      const ce = nats.classifyConnectError(err, profile);
      log().error(`connect "${profile.name}" failed: ${ce.message}${ce.hint ? ` (${ce.hint})` : ''}`);
      return this.update({ state: 'failed', profile, error: { kind: ce.kind, message: ce.message, hint: ce.hint } });
    }
    if (generation !== this.generation) {
      await nc.close().catch(() => undefined);
      return this.snapshot;
    }
    this.nc = nc;
    let server: ServerSummary;
    try {
      server = await nats.describeServer(nc, nats.jetStreamOptions(profile));
    } catch (err) {
      log().warn(`connected to "${profile.name}" but could not read server info: ${String(err)}`);
      server = { serverName: nc.info?.server_name ?? '?', serverId: nc.info?.server_id ?? '?', version: nc.info?.version ?? '?', jetstream: false, rttMs: NaN, connectedUrl: nc.getServer(), maxPayload: nc.info?.max_payload ?? 0, headers: true } as ServerSummary;
    }
    await this.profiles.setActiveId(profile.id);
    log().info(`connected to "${profile.name}": ${server.serverName} v${server.version}, JetStream ${server.jetstream ? 'on' : 'off'}, rtt ${server.rttMs.toFixed(1)} ms`);
    if (!server.jetstream) log().warn(`"${profile.name}": JetStream is not enabled for this account/server; streams, KV and object stores are unavailable`);
    this.followStatus(nc, generation);
    this.rttTimer = setInterval(() => void this.refreshRtt(generation), rttInterval());
    return this.update({ state: 'connected', profile, server });
  }

  async disconnect(): Promise<void> {
    await this.closeCurrent();
    this.update({ state: 'disconnected' });
  }

  dispose(): void {
    void this.closeCurrent();
    this.changed.dispose();
  }

  private async closeCurrent(): Promise<number> {
    const generation = ++this.generation;
    if (this.rttTimer) clearInterval(this.rttTimer);
    this.rttTimer = undefined;
    const nc = this.nc;
    this.nc = undefined;
    if (nc) await nc.close().catch((err) => log().warn(`closing connection: ${String(err)}`));
    return generation;
  }

  private followStatus(nc: NatsConnection, generation: number): void {
    void (async () => {
      for await (const s of nc.status()) {
        if (generation !== this.generation) return;
        switch (s.type) {
          case 'disconnect':
            log().warn(`disconnected from ${this.snapshot.profile?.name}; reconnecting`);
            this.update({ ...this.snapshot, state: 'reconnecting' });
            break;
          case 'reconnect':
            log().info(`reconnected to ${this.snapshot.profile?.name}`);
            this.update({ ...this.snapshot, state: 'connected' });
            void this.refreshRtt(generation);
            break;
          case 'error':
            log().error(`connection error: ${String((s as { error?: unknown }).error ?? '')}`);
            break;
          default:
            break;
        }
      }
    })();
    void nc.closed().then((err) => {
      if (generation !== this.generation) return;
      this.nc = undefined;
      if (this.rttTimer) clearInterval(this.rttTimer);
      if (err) {
        log().error(`connection to "${this.snapshot.profile?.name}" closed: ${err.message}`);
        this.update({ state: 'failed', profile: this.snapshot.profile, error: { kind: 'closed', message: `Connection to "${this.snapshot.profile?.name}" closed: ${err.message}` } });
      } else {
        this.update({ state: 'disconnected', profile: this.snapshot.profile });
      }
    });
  }

  private async refreshRtt(generation: number): Promise<void> {
    const nc = this.nc;
    if (!nc || generation !== this.generation || this.snapshot.state !== 'connected' || !this.snapshot.server) return;
    try {
      const rttMs = await nc.rtt();
      if (generation === this.generation && this.snapshot.server) this.update({ ...this.snapshot, server: { ...this.snapshot.server, rttMs } });
    } catch {
      // a failed ping shows up as a status event; nothing to add here
    }
  }

  private update(next: ConnectionSnapshot): ConnectionSnapshot {
    this.snapshot = next;
    void vscode.commands.executeCommand('setContext', ContextKeys.connected, next.state === 'connected');
    this.changed.fire(next);
    return next;
  }
}

function timeoutSetting(): number {
  return vscode.workspace.getConfiguration('natsFlow').get<number>('connectTimeoutMs', 5000);
}
function rttInterval(): number {
  return Math.max(2000, vscode.workspace.getConfiguration('natsFlow').get<number>('rttIntervalMs', 10000));
}
