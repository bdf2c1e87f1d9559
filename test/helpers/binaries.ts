/**
 * Finds the NATS binaries the test rig runs: nats-server (current release), an old 2.9
 * nats-server for compatibility tests, and natscli (`nats`) as an independent client.
 *
 * Lookup order (scripts/ensure-tools.sh installs into the cache):
 *   nats-server     NATS_SERVER_BIN → PATH → $NATS_FLOW_CACHE/bin → /usr/sbin/nats-server
 *   nats-server 2.9 NATS_SERVER_29_BIN → /usr/sbin/nats-server when it reports 2.9 → null
 *   natscli         NATS_CLI_BIN → PATH `nats` → $NATS_FLOW_CACHE/bin/nats → null / throw
 *
 * Results are memoised per process: every suite asks, and `--version` costs a fork.
 */
import { execFileSync } from 'node:child_process';
import { accessSync, constants, realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';

export type BinarySource = 'env' | 'path' | 'cache' | 'debian';

export interface ResolvedBinary {
  /** Absolute path of the executable. */
  path: string;
  /** Version without a leading `v`, e.g. `2.14.5`, or `unknown` when `--version` fails. */
  version: string;
  /** Where it was found, for test output ("nats-server 2.14.5 (cache)"). */
  source: BinarySource;
}

/** Debian's packaged server (bookworm ships 2.9.10): the last-resort server and the compat target. */
export const DEBIAN_NATS_SERVER = '/usr/sbin/nats-server';

const INSTALL_HINT = 'Install the test tools with `bash scripts/ensure-tools.sh` (from the repository root)';

/** `${NATS_FLOW_CACHE:-${XDG_CACHE_HOME:-~/.cache}/nats-flow}`, the same rule as ensure-tools.sh. */
export function natsFlowCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.NATS_FLOW_CACHE) return env.NATS_FLOW_CACHE;
  const xdg = env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(xdg, 'nats-flow');
}

function isExecutable(p: string): boolean {
  try {
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function sameFile(a: string, b: string): boolean {
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    return false;
  }
}

/** Every executable called `name` on PATH, in PATH order. */
function onPath(name: string): string[] {
  const found: string[] = [];
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    if (isExecutable(candidate) && !found.some((f) => sameFile(f, candidate))) found.push(candidate);
  }
  return found;
}

const versionCache = new Map<string, string>();

/**
 * Runs `<bin> --version` and extracts `x.y.z`. nats-server prints `nats-server: v2.14.5`,
 * natscli prints `v0.4.0` (or `0.4.0`); development builds may add a suffix, which is kept.
 */
export function binaryVersion(path: string): string {
  const cached = versionCache.get(path);
  if (cached) return cached;
  let version = 'unknown';
  try {
    const out = execFileSync(path, ['--version'], { encoding: 'utf8', timeout: 10_000, stdio: ['ignore', 'pipe', 'pipe'] });
    const m = /v?(\d+\.\d+\.\d+[^\s]*)/.exec(out);
    if (m) version = m[1];
  } catch (err) {
    // some builds print the version to stderr with a non-zero exit
    const e = err as { stdout?: string; stderr?: string };
    const m = /v?(\d+\.\d+\.\d+[^\s]*)/.exec(`${e.stdout ?? ''}${e.stderr ?? ''}`);
    if (m) version = m[1];
  }
  versionCache.set(path, version);
  return version;
}

function resolved(path: string, source: BinarySource): ResolvedBinary {
  return { path, version: binaryVersion(path), source };
}

export class MissingBinaryError extends Error {
  override name = 'MissingBinaryError';
}

let serverMemo: ResolvedBinary | undefined;

/**
 * The nats-server the suites run by default. Throws MissingBinaryError with install
 * instructions when none is found.
 */
export function resolveNatsServer(): ResolvedBinary {
  if (serverMemo) return serverMemo;
  const fromEnv = process.env.NATS_SERVER_BIN;
  if (fromEnv) {
    if (!isExecutable(fromEnv)) throw new MissingBinaryError(`NATS_SERVER_BIN=${fromEnv} is not an executable file. ${INSTALL_HINT}, or unset NATS_SERVER_BIN.`);
    return (serverMemo = resolved(fromEnv, 'env'));
  }
  // /usr/sbin is on root's PATH, and Debian's 2.9 there would shadow the cached 2.14: the
  // Debian binary is the compat target and the last resort, so the PATH step skips it.
  const pathHit = onPath('nats-server').find((p) => !sameFile(p, DEBIAN_NATS_SERVER));
  if (pathHit) return (serverMemo = resolved(pathHit, 'path'));
  const cached = join(natsFlowCacheDir(), 'bin', 'nats-server');
  if (isExecutable(cached)) return (serverMemo = resolved(cached, 'cache'));
  if (isExecutable(DEBIAN_NATS_SERVER)) return (serverMemo = resolved(DEBIAN_NATS_SERVER, 'debian'));
  throw new MissingBinaryError(
    `nats-server not found (looked at $NATS_SERVER_BIN, PATH, ${cached}, ${DEBIAN_NATS_SERVER}). ${INSTALL_HINT}.`,
  );
}

let server29Memo: ResolvedBinary | null | undefined;

/**
 * A 2.9.x nats-server for old-server compatibility tests, or null. Use
 * `natsServer29SkipReason()` for the `skip` message when it is null.
 */
export function findNatsServer29(): ResolvedBinary | null {
  if (server29Memo !== undefined) return server29Memo;
  const fromEnv = process.env.NATS_SERVER_29_BIN;
  if (fromEnv && isExecutable(fromEnv)) return (server29Memo = resolved(fromEnv, 'env'));
  if (isExecutable(DEBIAN_NATS_SERVER) && binaryVersion(DEBIAN_NATS_SERVER).startsWith('2.9.')) {
    return (server29Memo = resolved(DEBIAN_NATS_SERVER, 'debian'));
  }
  return (server29Memo = null);
}

/** Why 2.9 tests are skipped (a test's `skip` option takes a string and prints it). */
export function natsServer29SkipReason(): string | false {
  if (findNatsServer29()) return false;
  const env = process.env.NATS_SERVER_29_BIN;
  if (env) return `NATS_SERVER_29_BIN=${env} is not executable`;
  if (isExecutable(DEBIAN_NATS_SERVER)) {
    return `${DEBIAN_NATS_SERVER} is ${binaryVersion(DEBIAN_NATS_SERVER)}, not 2.9; set NATS_SERVER_29_BIN to a 2.9 build`;
  }
  return `no nats-server 2.9 (set NATS_SERVER_29_BIN, or run \`bash scripts/ensure-tools.sh\` as root for Debian's package)`;
}

let cliMemo: ResolvedBinary | null | undefined;

/** natscli, or null when it is not installed (see `natsCliSkipReason()`). */
export function findNatsCli(): ResolvedBinary | null {
  if (cliMemo !== undefined) return cliMemo;
  const fromEnv = process.env.NATS_CLI_BIN;
  if (fromEnv) return (cliMemo = isExecutable(fromEnv) ? resolved(fromEnv, 'env') : null);
  const pathHit = onPath('nats')[0];
  if (pathHit) return (cliMemo = resolved(pathHit, 'path'));
  const cached = join(natsFlowCacheDir(), 'bin', 'nats');
  if (isExecutable(cached)) return (cliMemo = resolved(cached, 'cache'));
  return (cliMemo = null);
}

/** natscli, or a MissingBinaryError with install instructions. */
export function resolveNatsCli(): ResolvedBinary {
  const cli = findNatsCli();
  if (cli) return cli;
  throw new MissingBinaryError(`natscli not found: ${natsCliSkipReason()}`);
}

export function natsCliSkipReason(): string | false {
  if (findNatsCli()) return false;
  const env = process.env.NATS_CLI_BIN;
  if (env) return `NATS_CLI_BIN=${env} is not executable`;
  return `natscli (nats) not found on PATH or in ${join(natsFlowCacheDir(), 'bin')}. ${INSTALL_HINT} (needs Go).`;
}

/** One line per tool for test logs: "nats-server 2.14.5 (cache: /root/.cache/…)". */
export function describeTools(): string {
  const line = (label: string, b: ResolvedBinary | null, missing: string | false) =>
    b ? `${label} ${b.version} (${b.source}: ${b.path})` : `${label}: missing (${missing})`;
  let server: ResolvedBinary | null = null;
  let serverMissing: string | false = false;
  try {
    server = resolveNatsServer();
  } catch (err) {
    serverMissing = (err as Error).message;
  }
  return [
    line('nats-server', server, serverMissing),
    line('nats-server 2.9', findNatsServer29(), natsServer29SkipReason()),
    line('natscli', findNatsCli(), natsCliSkipReason()),
  ].join('\n');
}
