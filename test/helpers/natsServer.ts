/**
 * The real test rig: starts genuine nats-server processes (never a mock, never a public
 * server) on free ports with a temp store dir, and natscli as an independent client.
 *
 *   const server = await startNatsServer();                 // JetStream on, no auth
 *   const nc = await connect({ servers: server.url });
 *   ...
 *   await server.stop();                                     // kills it, removes its temp dir
 *
 * Variants: `{ token }`, `{ user, password }`, `{ nkey: true }`, `{ tls: true }` or
 * `{ tls: { verify: true } }` (mutual TLS), `{ jetstream: false }`, `{ binary }` (e.g. the
 * 2.9 server from `findNatsServer29()`). `startNatsCluster(3)` gives an R3-capable cluster.
 * Every process and temp dir is also cleaned up when the test process exits.
 */
import assert from 'node:assert/strict';
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createUser } from '@nats-io/nkeys';
import { connect, nkeyAuthenticator, type NodeConnectionOptions } from '@nats-io/transport-node';
import { resolveNatsServer, resolveNatsCli, binaryVersion } from './binaries';

// ---------------------------------------------------------------------------------------
// Public types

export interface TlsServerOptions {
  /** Require and verify client certificates (mutual TLS). Default false. */
  verify?: boolean;
}

export interface NatsServerOptions {
  /** nats-server executable; default `resolveNatsServer()`. Pass `findNatsServer29()!.path` for 2.9. */
  binary?: string;
  /** JetStream on (default) or off. */
  jetstream?: boolean;
  /** Token auth: clients must send this token. */
  token?: string;
  /** User/password auth (give both). */
  user?: string;
  password?: string;
  /** NKey auth: a user key pair is generated; the seed is returned in `server.nkey`. */
  nkey?: boolean;
  /** TLS with a fresh self-signed CA; `true` for server-only TLS. */
  tls?: boolean | TlsServerOptions;
  /** server_name; default `nf-<port>`. */
  serverName?: string;
  /** Raw config text appended to the generated file (for options this helper lacks). */
  extraConfig?: string;
  /** How long to wait for readiness. Default 15 s. */
  startTimeoutMs?: number;
  /** Log protocol debug lines (`debug: true`) into the captured log. */
  debug?: boolean;
  /** JetStream domain: the API then also answers at `$JS.<domain>.API`. */
  jsDomain?: string;
  /** JetStream max_file_store in bytes (default 2 GiB); streams reserve their max_bytes against it. */
  maxFileStore?: number;
}

/** Files made by `makeTestCertificates`: a CA, a server cert (127.0.0.1, ::1, localhost) and a client cert. */
export interface TestCertificates {
  dir: string;
  caFile: string;
  caKeyFile: string;
  certFile: string;
  keyFile: string;
  clientCertFile: string;
  clientKeyFile: string;
}

export interface NatsServerTls extends TestCertificates {
  /** True when the server requires client certificates. */
  verify: boolean;
}

export interface NatsServer {
  /** Client URL: `nats://127.0.0.1:<port>`, or `tls://127.0.0.1:<port>` when TLS is on. */
  url: string;
  port: number;
  /** Monitoring endpoint base, e.g. `http://127.0.0.1:<port>` (append `/varz`, `/jsz`, `/healthz`). */
  monitorUrl: string;
  monitorPort: number;
  /** Cluster route port, when part of a cluster. */
  clusterPort?: number;
  /** JetStream store dir (survives `restart()`, removed by `stop()`). */
  storeDir: string;
  /** This server's temp dir (config, store, certs). */
  dir: string;
  configFile: string;
  serverName: string;
  /** Version reported by the binary, e.g. `2.14.5`. */
  version: string;
  binary: string;
  jetstream: boolean;
  token?: string;
  user?: string;
  password?: string;
  /** The generated NKey user: `seed` starts with `SU`, `publicKey` with `U`. */
  nkey?: { publicKey: string; seed: string };
  tls?: NatsServerTls;
  /** Current process id (changes on restart), or undefined while stopped. */
  readonly pid: number | undefined;
  /** Everything the server logged so far (all runs), for failure messages. */
  log(): string;
  /** Stops the process and removes the temp dir. Idempotent. */
  stop(): Promise<void>;
  /** Stops the process (SIGTERM, then SIGKILL) but keeps ports, config and store. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Restarts on the same ports with the same config and store dir. */
  restart(): Promise<void>;
  /** Starts again after `kill()`. */
  start(): Promise<void>;
}

export interface NatsCluster {
  urls: string[];
  servers: NatsServer[];
  /** Waits until every node agrees on a JetStream meta leader and `$JS.API.INFO` answers. */
  waitForJetStream(timeoutMs?: number): Promise<void>;
  /** Name of the current meta leader (from /jsz). */
  metaLeader(): Promise<string | undefined>;
  stop(): Promise<void>;
}

// ---------------------------------------------------------------------------------------
// Cleanup on exit: each live process and temp dir is registered here

const liveProcesses = new Set<ChildProcess>();
const liveDirs = new Set<string>();
let exitHandlerInstalled = false;

function cleanupSync(): void {
  for (const child of liveProcesses) {
    try {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
  liveProcesses.clear();
  for (const dir of liveDirs) rmSync(dir, { recursive: true, force: true });
  liveDirs.clear();
}

function installExitHandler(): void {
  if (exitHandlerInstalled) return;
  exitHandlerInstalled = true;
  process.on('exit', cleanupSync);
  // the servers run in their own process group, so Ctrl-C does not reach them: clean up,
  // then re-raise so the default action (and exit code) still happens
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(sig, () => {
      cleanupSync();
      process.kill(process.pid, sig);
    });
  }
}

// ---------------------------------------------------------------------------------------
// Small utilities

/** A port that was free a moment ago (bind to 0, read, close). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

async function freePorts(n: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < n) ports.add(await freePort());
  return [...ports];
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** A temp dir under the OS tmp, registered for removal at exit. */
export function makeTempDir(prefix = 'nats-flow-'): string {
  installExitHandler();
  const dir = mkdtempSync(join(tmpdir(), prefix));
  liveDirs.add(dir);
  return dir;
}

export function removeTempDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  liveDirs.delete(dir);
}

async function httpGet(url: string, timeoutMs = 1000): Promise<{ status: number; body: string } | null> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    return { status: res.status, body: await res.text() };
  } catch {
    return null;
  }
}

/** The server config format accepts JSON strings, which escapes quotes and backslashes for us. */
const q = (s: string) => JSON.stringify(s);

function tail(text: string, lines = 40): string {
  return text.split('\n').slice(-lines).join('\n');
}

function run(cmd: string, args: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { cwd, timeout: 30_000 }, (err, _stdout, stderr) => {
      if (err) reject(new Error(`${cmd} ${args.join(' ')} failed: ${stderr || err.message}`));
      else resolve();
    });
  });
}

// ---------------------------------------------------------------------------------------
// Decentralized auth (operator mode, .creds files)

/** An operator setup made with natscli's `nats auth`: server config and user .creds files. */
export interface OperatorSetup {
  dir: string;
  /** Config lines for nats-server: operator JWT, system account, memory resolver preloaded. */
  serverConfig: string;
  /** A user of the JetStream-enabled account APP. */
  credsFile: string;
  /** A user of an account signed by ANOTHER operator (the server must refuse it). */
  foreignCredsFile: string;
}

const jwtSubject = (jwt: string): string => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8')).sub as string;

/**
 * Makes operators, accounts and users with natscli (`nats auth …`) in its own config home,
 * so nothing touches the developer's nsc store. Pass `serverConfig` as `extraConfig`.
 */
export async function makeOperatorSetup(dir: string = makeTempDir('nats-flow-operator-')): Promise<OperatorSetup> {
  const cli = resolveNatsCli();
  mkdirSync(dir, { recursive: true });
  const env = { ...process.env, HOME: dir, XDG_CONFIG_HOME: join(dir, 'config'), XDG_DATA_HOME: join(dir, 'data') };
  const nats = (args: string[]) =>
    new Promise<void>((resolve, reject) => {
      const child = execFile(cli.path, args, { cwd: dir, env, timeout: 30_000 }, (err, stdout, stderr) => {
        if (err) reject(new Error(`nats ${args.join(' ')} failed: ${stderr || stdout || err.message}`));
        else resolve();
      });
      child.stdin?.end();
    });
  const make = async (operator: string, account: string, user: string, creds: string) => {
    await nats(['auth', 'operator', 'add', operator, '--no-signing-key']);
    await nats(['auth', 'account', 'add', account, '--operator', operator, '--jetstream', '--js-disk=-1', '--js-memory=-1', '--defaults']);
    await nats(['auth', 'user', 'add', user, account, '--operator', operator, '--defaults']);
    await nats(['auth', 'user', 'credential', creds, user, account, '--operator', operator]);
  };
  const credsFile = join(dir, 'ada.creds');
  const foreignCredsFile = join(dir, 'mallory.creds');
  await make('TestOp', 'APP', 'ada', credsFile);
  await make('OtherOp', 'ELSEWHERE', 'mallory', foreignCredsFile);
  const store = join(dir, 'data', 'nats', 'nsc', 'stores', 'TestOp');
  const opJwt = readFileSync(join(store, 'TestOp.jwt'), 'utf8').trim();
  const sysJwt = readFileSync(join(store, 'accounts', 'SYSTEM', 'SYSTEM.jwt'), 'utf8').trim();
  const appJwt = readFileSync(join(store, 'accounts', 'APP', 'APP.jwt'), 'utf8').trim();
  const serverConfig = [
    `operator: ${JSON.stringify(opJwt)}`,
    `system_account: ${jwtSubject(sysJwt)}`,
    'resolver: MEMORY',
    `resolver_preload: { ${jwtSubject(sysJwt)}: ${JSON.stringify(sysJwt)}, ${jwtSubject(appJwt)}: ${JSON.stringify(appJwt)} }`,
  ].join('\n');
  return { dir, serverConfig, credsFile, foreignCredsFile };
}

// ---------------------------------------------------------------------------------------
// TLS material

/**
 * Makes a self-signed CA, a server certificate for 127.0.0.1/::1/localhost and a client
 * certificate (CN=nats-flow-test-client), all signed by that CA, in `dir` (default: a new
 * temp dir). Call twice for a second, unrelated CA ("wrong CA" tests). EC P-256 keys keep it fast.
 */
export async function makeTestCertificates(dir: string = makeTempDir('nats-flow-certs-')): Promise<TestCertificates> {
  mkdirSync(dir, { recursive: true });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  writeFileSync(
    join(dir, 'server.ext'),
    'subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n',
  );
  writeFileSync(join(dir, 'client.ext'), 'extendedKeyUsage=clientAuth\nbasicConstraints=CA:FALSE\n');
  await run('openssl', ['req', '-x509', ...ec, '-keyout', 'ca-key.pem', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=nats-flow-test-ca'], dir);
  await Promise.all(
    (['server', 'client'] as const).map(async (who) => {
      const cn = who === 'server' ? 'localhost' : 'nats-flow-test-client';
      await run('openssl', ['req', ...ec, '-keyout', `${who}-key.pem`, '-out', `${who}.csr`, '-subj', `/CN=${cn}`], dir);
      await run(
        'openssl',
        // an explicit serial per certificate: -CAcreateserial has both signings race on ca.srl
        ['x509', '-req', '-in', `${who}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca-key.pem', '-set_serial', who === 'server' ? '1001' : '1002', '-out', `${who}.pem`, '-days', '2', '-extfile', `${who}.ext`],
        dir,
      );
    }),
  );
  return {
    dir,
    caFile: join(dir, 'ca.pem'),
    caKeyFile: join(dir, 'ca-key.pem'),
    certFile: join(dir, 'server.pem'),
    keyFile: join(dir, 'server-key.pem'),
    clientCertFile: join(dir, 'client.pem'),
    clientKeyFile: join(dir, 'client-key.pem'),
  };
}

// ---------------------------------------------------------------------------------------
// Single server

interface Ports {
  client: number;
  monitor: number;
  cluster?: number;
}

interface ClusterWiring {
  name: string;
  routes: number[];
}

function buildConfig(o: {
  opts: NatsServerOptions;
  ports: Ports;
  serverName: string;
  storeDir: string;
  cluster?: ClusterWiring;
  nkeyPublic?: string;
  tls?: NatsServerTls;
}): string {
  const { opts, ports } = o;
  const lines: string[] = [
    `server_name: ${q(o.serverName)}`,
    `listen: "127.0.0.1:${ports.client}"`,
    `http: "127.0.0.1:${ports.monitor}"`,
    // loud enough to diagnose a failure, quiet enough to keep in memory
    `debug: ${opts.debug ? 'true' : 'false'}`,
    'trace: false',
    'logtime: true',
  ];
  if (opts.jetstream !== false) {
    lines.push(`jetstream { store_dir: ${q(o.storeDir)}, max_memory_store: 268435456, max_file_store: ${opts.maxFileStore ?? 2147483648}${opts.jsDomain ? `, domain: ${q(opts.jsDomain)}` : ''} }`);
  }
  if (opts.token !== undefined) {
    lines.push(`authorization { token: ${q(opts.token)} }`);
  } else if (opts.user !== undefined) {
    lines.push(`authorization { user: ${q(opts.user)}, password: ${q(opts.password ?? '')} }`);
  } else if (o.nkeyPublic) {
    lines.push(`authorization { users: [ { nkey: ${q(o.nkeyPublic)} } ] }`);
  }
  if (o.tls) {
    lines.push(
      `tls { cert_file: ${q(o.tls.certFile)}, key_file: ${q(o.tls.keyFile)}, ca_file: ${q(o.tls.caFile)}, verify: ${o.tls.verify}, timeout: 3 }`,
    );
  }
  if (o.cluster && ports.cluster) {
    const routes = o.cluster.routes.map((p) => q(`nats-route://127.0.0.1:${p}`)).join(', ');
    lines.push(`cluster { name: ${q(o.cluster.name)}, listen: "127.0.0.1:${ports.cluster}", routes: [ ${routes} ] }`);
  }
  if (opts.extraConfig) lines.push(opts.extraConfig);
  return lines.join('\n') + '\n';
}

type ReadyCheck = 'healthz' | 'varz';

class ServerProcess implements NatsServer {
  url: string;
  port: number;
  monitorUrl: string;
  monitorPort: number;
  clusterPort?: number;
  storeDir: string;
  dir: string;
  configFile: string;
  serverName: string;
  version: string;
  binary: string;
  jetstream: boolean;
  token?: string;
  user?: string;
  password?: string;
  nkey?: { publicKey: string; seed: string };
  tls?: NatsServerTls;

  private child: ChildProcess | undefined;
  private logText = '';
  private exited: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    init: Omit<NatsServer, 'pid' | 'log' | 'stop' | 'kill' | 'restart' | 'start' | 'url' | 'monitorUrl'>,
    private readonly readyCheck: ReadyCheck,
    private readonly startTimeoutMs: number,
  ) {
    this.port = init.port;
    this.monitorPort = init.monitorPort;
    this.clusterPort = init.clusterPort;
    this.storeDir = init.storeDir;
    this.dir = init.dir;
    this.configFile = init.configFile;
    this.serverName = init.serverName;
    this.version = init.version;
    this.binary = init.binary;
    this.jetstream = init.jetstream;
    this.token = init.token;
    this.user = init.user;
    this.password = init.password;
    this.nkey = init.nkey;
    this.tls = init.tls;
    this.url = `${init.tls ? 'tls' : 'nats'}://127.0.0.1:${init.port}`;
    this.monitorUrl = `http://127.0.0.1:${init.monitorPort}`;
  }

  get pid(): number | undefined {
    return this.child?.exitCode === null && this.child.signalCode === null ? this.child.pid : undefined;
  }

  log(): string {
    return this.logText;
  }

  private append(chunk: Buffer): void {
    this.logText += chunk.toString('utf8');
    // keep the newest 2 MB; a debug-level server can be chatty
    if (this.logText.length > 2_000_000) this.logText = this.logText.slice(-1_000_000);
  }

  async start(): Promise<void> {
    if (this.stopped) throw new Error(`${this.serverName} was stopped; start a new server instead`);
    if (this.pid) return;
    installExitHandler();
    this.logText += `--- start ${new Date().toISOString()} ${this.binary} -c ${this.configFile}\n`;
    // own process group (detached) so stop() can kill the group and nothing lingers
    const child = spawn(this.binary, ['-c', this.configFile], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    liveProcesses.add(child);
    child.stdout?.on('data', (c: Buffer) => this.append(c));
    child.stderr?.on('data', (c: Buffer) => this.append(c));
    let exitInfo: string | undefined;
    this.exited = new Promise<void>((resolve) => {
      child.once('exit', (code, signal) => {
        exitInfo = `exited with ${signal ?? `code ${code}`}`;
        liveProcesses.delete(child);
        resolve();
      });
      child.once('error', (err) => {
        exitInfo = `failed to spawn: ${err.message}`;
        liveProcesses.delete(child);
        resolve();
      });
    });
    // the test process must not wait on the server's pipes to exit
    child.unref();
    (child.stdout as unknown as { unref?: () => void } | null)?.unref?.();
    (child.stderr as unknown as { unref?: () => void } | null)?.unref?.();

    const deadline = Date.now() + this.startTimeoutMs;
    const path = this.readyCheck === 'healthz' ? '/healthz' : '/varz';
    while (Date.now() < deadline) {
      if (exitInfo) break;
      const res = await httpGet(this.monitorUrl + path);
      if (res?.status === 200) return;
      await sleep(50);
    }
    const why = exitInfo ?? `not ready after ${this.startTimeoutMs} ms (${path})`;
    await this.kill('SIGKILL');
    throw new Error(`nats-server ${this.version} (${this.serverName}, port ${this.port}) ${why}.\nConfig ${this.configFile}\nLog tail:\n${tail(this.logText)}`);
  }

  async kill(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.child;
    if (!child || !this.pid) return;
    const signalGroup = (sig: NodeJS.Signals) => {
      try {
        process.kill(-child.pid!, sig);
      } catch {
        /* already gone */
      }
    };
    signalGroup(signal);
    // JetStream flushes on SIGTERM; give it a moment, then insist
    const timer = setTimeout(() => signalGroup('SIGKILL'), 5000);
    await this.exited;
    clearTimeout(timer);
  }

  async restart(): Promise<void> {
    await this.kill();
    await this.start();
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    await this.kill();
    this.stopped = true;
    removeTempDir(this.dir);
  }
}

async function createServerProcess(
  opts: NatsServerOptions,
  ports: Ports,
  cluster: ClusterWiring | undefined,
  readyCheck: ReadyCheck,
  shared?: { tls?: TestCertificates; nkey?: { publicKey: string; seed: string } },
): Promise<ServerProcess> {
  const binary = opts.binary ?? resolveNatsServer().path;
  const version = binaryVersion(binary);
  const dir = makeTempDir('nats-flow-server-');
  const storeDir = join(dir, 'jetstream');
  mkdirSync(storeDir);
  const serverName = opts.serverName ?? `nf-${ports.client}`;

  let nkey = shared?.nkey;
  if (opts.nkey && !nkey) {
    const kp = createUser();
    nkey = { publicKey: kp.getPublicKey(), seed: new TextDecoder().decode(kp.getSeed()) };
  }
  let tls: NatsServerTls | undefined;
  if (opts.tls) {
    const certs = shared?.tls ?? (await makeTestCertificates(join(dir, 'certs')));
    tls = { ...certs, verify: typeof opts.tls === 'object' && opts.tls.verify === true };
  }

  const configFile = join(dir, 'nats-server.conf');
  writeFileSync(configFile, buildConfig({ opts, ports, serverName, storeDir, cluster, nkeyPublic: nkey?.publicKey, tls }));

  return new ServerProcess(
    {
      port: ports.client,
      monitorPort: ports.monitor,
      clusterPort: ports.cluster,
      storeDir,
      dir,
      configFile,
      serverName,
      version,
      binary,
      jetstream: opts.jetstream !== false,
      token: opts.token,
      user: opts.user,
      password: opts.password,
      nkey,
      tls,
    },
    readyCheck,
    opts.startTimeoutMs ?? 15_000,
  );
}

function isPortClash(err: unknown): boolean {
  return /address already in use|bind: /i.test(String((err as Error)?.message ?? err));
}

/**
 * Starts a real nats-server (JetStream on unless `{ jetstream: false }`) on free ports with a
 * temp store dir and waits until /healthz answers 200. Retries on a port clash.
 */
export async function startNatsServer(opts: NatsServerOptions = {}): Promise<NatsServer> {
  for (let attempt = 1; ; attempt++) {
    const [client, monitor] = await freePorts(2);
    const server = await createServerProcess(opts, { client, monitor }, undefined, 'healthz');
    try {
      await server.start();
      return server;
    } catch (err) {
      await server.stop();
      if (attempt < 3 && isPortClash(err)) continue;
      throw err;
    }
  }
}

/**
 * Runs `fn` until it succeeds, every 250 ms, at most `attempts` times: for the moments a
 * cluster (or a restarted server) is settling, when JetStream answers "not enabled", a leader
 * election leaves a publish without a responder, or a reconnect has not happened yet. The last
 * failure is rethrown, prefixed with `what` and the number of attempts.
 */
export async function retrySettling<T>(what: string, fn: () => Promise<T>, attempts = 40): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (attempt >= attempts) throw new Error(`${what} failed ${attempt} times: ${(err as Error).message}`, { cause: err });
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

// ---------------------------------------------------------------------------------------
// Cluster

interface JszMeta {
  meta_cluster?: { leader?: string; cluster_size?: number; replicas?: unknown[] };
}

/**
 * Starts `size` JetStream nodes routed to each other (cluster name `nf-cluster`), and waits
 * until a meta leader is elected and the JetStream API answers. Options apply to every node
 * (one CA and one NKey user are shared across the cluster).
 */
export async function startNatsCluster(size = 3, opts: NatsServerOptions = {}): Promise<NatsCluster> {
  if (opts.jetstream === false) throw new Error('startNatsCluster is for JetStream clusters; use startNatsServer for plain NATS');
  for (let attempt = 1; ; attempt++) {
    const ports = await freePorts(size * 3);
    const nodes: Ports[] = Array.from({ length: size }, (_, i) => ({ client: ports[i * 3], monitor: ports[i * 3 + 1], cluster: ports[i * 3 + 2] }));
    const shared: { tls?: TestCertificates; nkey?: { publicKey: string; seed: string } } = {};
    if (opts.tls) shared.tls = await makeTestCertificates();
    if (opts.nkey) {
      const kp = createUser();
      shared.nkey = { publicKey: kp.getPublicKey(), seed: new TextDecoder().decode(kp.getSeed()) };
    }
    const servers: ServerProcess[] = [];
    for (let i = 0; i < size; i++) {
      const routes = nodes.filter((_, j) => j !== i).map((n) => n.cluster!);
      servers.push(
        await createServerProcess({ ...opts, serverName: `${opts.serverName ?? 'nf'}-n${i + 1}` }, nodes[i], { name: 'nf-cluster', routes }, 'varz', shared),
      );
    }
    const cluster = makeCluster(servers, shared.tls?.dir);
    try {
      await Promise.all(servers.map((s) => s.start()));
      await cluster.waitForJetStream(opts.startTimeoutMs ?? 30_000);
      return cluster;
    } catch (err) {
      await cluster.stop();
      if (attempt < 3 && isPortClash(err)) continue;
      throw err;
    }
  }
}

function makeCluster(servers: ServerProcess[], sharedDir: string | undefined): NatsCluster {
  const metaLeader = async (): Promise<string | undefined> => {
    for (const s of servers) {
      if (!s.pid) continue;
      const res = await httpGet(`${s.monitorUrl}/jsz`);
      if (res?.status !== 200) continue;
      const leader = (JSON.parse(res.body) as JszMeta).meta_cluster?.leader;
      if (leader) return leader;
    }
    return undefined;
  };

  const waitForJetStream = async (timeoutMs = 30_000): Promise<void> => {
    const deadline = Date.now() + timeoutMs;
    let last = 'no node answered /jsz';
    while (Date.now() < deadline) {
      // every running node must know the same leader, then the API must answer for real
      const leaders = await Promise.all(
        servers
          .filter((s) => s.pid)
          .map(async (s) => {
            const res = await httpGet(`${s.monitorUrl}/jsz`);
            return res?.status === 200 ? (JSON.parse(res.body) as JszMeta).meta_cluster?.leader : undefined;
          }),
      );
      const leader = leaders[0];
      if (leader && leaders.every((l) => l === leader)) {
        const info = await jsApiInfo(servers.find((s) => s.pid)!);
        if (info.ok) return;
        last = `meta leader ${leader}, but $JS.API.INFO: ${info.error}`;
      } else {
        last = `meta leaders seen: ${JSON.stringify(leaders)}`;
      }
      await sleep(200);
    }
    throw new Error(
      `JetStream cluster not ready after ${timeoutMs} ms (${last}).\n` + servers.map((s) => `--- ${s.serverName} log tail:\n${tail(s.log(), 15)}`).join('\n'),
    );
  };

  return {
    urls: servers.map((s) => s.url),
    servers,
    waitForJetStream,
    metaLeader,
    async stop() {
      await Promise.all(servers.map((s) => s.stop()));
      if (sharedDir) removeTempDir(sharedDir);
    },
  };
}

/** Asks `$JS.API.INFO` through nats.js, with the server's own credentials. */
async function jsApiInfo(server: NatsServer): Promise<{ ok: boolean; error?: string }> {
  let nc: Awaited<ReturnType<typeof connect>> | undefined;
  try {
    nc = await connect({ servers: server.url, timeout: 2000, reconnect: false, ...clientAuthOptions(server) });
    const msg = await nc.request('$JS.API.INFO', undefined, { timeout: 2000 });
    const body = JSON.parse(new TextDecoder().decode(msg.data)) as { error?: { description?: string } };
    return body.error ? { ok: false, error: body.error.description } : { ok: true };
  } catch (err) {
    return { ok: false, error: (err as Error).message };
  } finally {
    await nc?.close().catch(() => undefined);
  }
}

/**
 * nats.js connection options matching a rig server's auth and TLS (token, user/password,
 * NKey seed, CA + client cert when the server verifies clients). Spread into `connect()`.
 */
export function clientAuthOptions(server: NatsServer): Partial<NodeConnectionOptions> {
  const o: Partial<NodeConnectionOptions> = {};
  if (server.token !== undefined) o.token = server.token;
  if (server.user !== undefined) {
    o.user = server.user;
    o.pass = server.password;
  }
  if (server.nkey) o.authenticator = nkeyAuthenticator(new TextEncoder().encode(server.nkey.seed));
  if (server.tls) {
    o.tls = server.tls.verify
      ? { caFile: server.tls.caFile, certFile: server.tls.clientCertFile, keyFile: server.tls.clientKeyFile }
      : { caFile: server.tls.caFile };
  }
  return o;
}

// ---------------------------------------------------------------------------------------
// natscli

export interface NatsCliOptions {
  /** A rig server (its URL, auth and TLS are passed along) or a URL / comma list. */
  server: NatsServer | string;
  /** Default 20 s. */
  timeoutMs?: number;
  /** Text piped to stdin. */
  input?: string;
  /** Extra environment. */
  env?: NodeJS.ProcessEnv;
}

export interface NatsCliResult {
  stdout: string;
  stderr: string;
  /** Exit code (non-zero on failure; natscli does not throw at us). */
  code: number;
  /** The command line, for assertion messages (secrets elided). */
  command: string;
}

/**
 * Runs natscli against a server as an independent client: `--server` plus the server's
 * credentials, and `--no-context` with an empty config home so the developer's own natscli
 * contexts never leak into a test.
 *
 *   const r = await natsCli(['stream', 'info', 'ORDERS', '--json'], { server });
 *   assert.equal(r.code, 0, r.stderr);
 */
export function natsCli(args: string[], opts: NatsCliOptions): Promise<NatsCliResult> {
  const cli = resolveNatsCli();
  const flags: string[] = [];
  const secret: string[] = [];
  if (typeof opts.server === 'string') {
    flags.push('--server', opts.server);
  } else {
    const s = opts.server;
    flags.push('--server', s.url);
    if (s.token !== undefined) secret.push('--token', s.token);
    if (s.user !== undefined) secret.push('--user', s.user, '--password', s.password ?? '');
    if (s.nkey) {
      const seedFile = join(s.dir, 'user.nk');
      writeFileSync(seedFile, s.nkey.seed + '\n', { mode: 0o600 });
      flags.push('--nkey', seedFile);
    }
    if (s.tls) {
      flags.push('--tlsca', s.tls.caFile);
      if (s.tls.verify) flags.push('--tlscert', s.tls.clientCertFile, '--tlskey', s.tls.clientKeyFile);
    }
  }
  const home = cliHome();
  const fullArgs = [...flags, ...secret, '--no-context', '--timeout', '5s', ...args];
  const command = ['nats', ...flags, ...(secret.length ? ['<credentials>'] : []), ...args].join(' ');
  return new Promise((resolve) => {
    const child = execFile(
      cli.path,
      fullArgs,
      {
        timeout: opts.timeoutMs ?? 20_000,
        maxBuffer: 64 * 1024 * 1024,
        env: { ...process.env, XDG_CONFIG_HOME: home, NATS_CONTEXT: '', NATS_URL: '', ...opts.env },
      },
      (err, stdout, stderr) => {
        const e = err as (Error & { code?: unknown; killed?: boolean }) | null;
        const code = !e ? 0 : typeof e.code === 'number' ? e.code : 1;
        // err.message repeats the full command line, credentials included: never surface it
        const why = e && !stderr ? (e.killed ? `timed out after ${opts.timeoutMs ?? 20_000} ms` : `failed (${String(e.code ?? 'unknown')})`) : '';
        resolve({ stdout, stderr: stderr || why, code, command });
      },
    );
    if (opts.input !== undefined) child.stdin?.end(opts.input);
    else child.stdin?.end();
  });
}

/** natsCli with `--json` appended; parses stdout, throws with stderr when the command fails. */
export async function natsCliJson<T = unknown>(args: string[], opts: NatsCliOptions): Promise<T> {
  const r = await natsCli([...args, '--json'], opts);
  if (r.code !== 0) throw new Error(`${r.command} --json exited ${r.code}: ${r.stderr.trim() || r.stdout.trim()}`);
  return JSON.parse(r.stdout) as T;
}

/**
 * natscli bound to a server that is only known later (a suite's server starts in its setup):
 * `cli` asserts exit 0 and returns stdout, `cliJson` appends `--json` and parses it, `cliFails`
 * says whether the command exited non-zero.
 *
 *   const { cli, cliJson, cliFails } = natsCliOn(() => server);
 */
export function natsCliOn(server: () => NatsServer) {
  const cli = async (...args: string[]) => {
    const r = await natsCli(args, { server: server() });
    assert.equal(r.code, 0, `${r.command}: ${r.stderr || r.stdout}`);
    return r.stdout;
  };
  const cliJson = async <T = any>(...args: string[]): Promise<T> => JSON.parse(await cli(...args, '--json')) as T;
  const cliFails = async (...args: string[]) => (await natsCli(args, { server: server() })).code !== 0;
  return { cli, cliJson, cliFails };
}

let cliHomeDir: string | undefined;
function cliHome(): string {
  cliHomeDir ??= makeTempDir('nats-flow-cli-home-');
  return cliHomeDir;
}
