/** Files every TypeScript scaffold shares: project files, connection from the environment, shutdown. */
import type { ScaffoldFile, ScaffoldSpec } from '../spec';

/** Client versions the generated projects pin (the versions this repository builds and tests against). */
export const TS_VERSIONS = {
  nats: '3.4.0',
  typescript: '5.9.3',
  typesNode: '20.19.43',
} as const;

export function tsProjectFiles(spec: ScaffoldSpec, entries: string[], kv: boolean): ScaffoldFile[] {
  const deps: Record<string, string> = {
    '@nats-io/jetstream': TS_VERSIONS.nats,
    '@nats-io/transport-node': TS_VERSIONS.nats,
  };
  if (kv) deps['@nats-io/kv'] = TS_VERSIONS.nats;
  const scripts: Record<string, string> = { build: 'tsc -p tsconfig.json' };
  for (const e of entries) scripts[e === 'main' ? 'start' : e] = `node dist/${e}.js`;
  const pkg = {
    name: spec.project,
    version: '0.1.0',
    private: true,
    type: 'module',
    scripts,
    dependencies: deps,
    devDependencies: { '@types/node': TS_VERSIONS.typesNode, typescript: TS_VERSIONS.typescript },
  };
  const tsconfig = {
    compilerOptions: {
      target: 'es2022',
      module: 'nodenext',
      moduleResolution: 'nodenext',
      strict: true,
      noUncheckedIndexedAccess: true,
      skipLibCheck: true,
      outDir: 'dist',
      rootDir: 'src',
      types: ['node'],
    },
    include: ['src'],
  };
  return [
    { path: 'package.json', content: JSON.stringify(pkg, null, 2) + '\n' },
    { path: 'tsconfig.json', content: JSON.stringify(tsconfig, null, 2) + '\n' },
    { path: '.gitignore', content: 'node_modules/\ndist/\n*.cursor\n' },
    { path: 'src/connection.ts', content: CONNECTION_TS },
  ];
}

const CONNECTION_TS = `import { readFileSync } from 'node:fs';
import { connect, credsAuthenticator, type NatsConnection, type NodeConnectionOptions } from '@nats-io/transport-node';

/**
 * Connects the way natscli and the NATS Flow sandbox do: NATS_URL (comma-separated servers),
 * plus NATS_CREDS, NATS_TOKEN or NATS_USER + NATS_PASSWORD when set.
 */
export async function connectFromEnv(name: string): Promise<NatsConnection> {
  const env = process.env;
  const opts: NodeConnectionOptions = {
    servers: (env.NATS_URL ?? 'nats://127.0.0.1:4222').split(','),
    name,
    // keep trying through server restarts: JetStream state lives on the server, not here
    maxReconnectAttempts: -1,
  };
  if (env.NATS_CREDS) opts.authenticator = credsAuthenticator(readFileSync(env.NATS_CREDS));
  else if (env.NATS_TOKEN) opts.token = env.NATS_TOKEN;
  else if (env.NATS_USER) {
    opts.user = env.NATS_USER;
    opts.pass = env.NATS_PASSWORD ?? '';
  }
  return connect(opts);
}

/**
 * On SIGINT/SIGTERM: stop taking new work, let the current message finish (stop() resolves
 * when it has), then drain so pending acks and publishes reach the server before exit.
 * Killing without a drain leaves in-flight messages to be redelivered after AckWait.
 */
export function shutdownOnSignal(nc: NatsConnection, stop: () => Promise<void>): void {
  let stopping = false;
  const onSignal = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(signal + ': draining');
    stop()
      .then(() => nc.drain())
      .then(
        () => {
          console.log('drained');
          process.exit(0);
        },
        (err: unknown) => {
          console.error('drain failed:', err);
          process.exit(1);
        },
      );
  };
  process.once('SIGINT', () => onSignal('SIGINT'));
  process.once('SIGTERM', () => onSignal('SIGTERM'));
}
`;

/** A TypeScript string literal. */
export const q = (s: string): string => JSON.stringify(s);

/** Nanoseconds as milliseconds, for setTimeout / nak delays. */
export const ms = (ns: number): number => Math.round(ns / 1_000_000);
