#!/usr/bin/env node
import { UsageError, type CliCommand, type CliIO } from './command';
import { CliFailure } from './connectionFlags';
import { watchRunConnections } from './connectionWatch';
import { commands } from './registry';

const VERSION = '0.1.0';

export function helpText(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'nats-flow: the NATS Flow core on the command line',
    '',
    'Usage: nats-flow <command> [flags]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run "nats-flow <command> --help" for a command\'s flags.',
    'Exit codes: 0 ok, 1 failure, 2 bad usage.',
  ].join('\n');
}

/** Runs one CLI invocation; exported so tests run the CLI in-process. */
export async function runCli(argv: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(helpText() + '\n');
    return name ? 0 : 2;
  }
  if (name === '--version' || name === 'version') {
    io.out(`nats-flow ${VERSION}\n`);
    return 0;
  }
  const command: CliCommand | undefined = commands.find((c) => c.name === name);
  if (!command) {
    io.err(`nats-flow: unknown command "${name}". Commands: ${commands.map((c) => c.name).join(', ')}\n`);
    return 2;
  }
  // after "--" everything is an argument (`nats-flow pub subj -- -h` publishes "-h")
  const flags = rest.includes('--') ? rest.slice(0, rest.indexOf('--')) : rest;
  if (flags.includes('--help') || flags.includes('-h')) {
    io.out(command.usage.trimEnd() + '\n');
    return 0;
  }
  const connections = watchRunConnections(io);
  try {
    // a connection that drops mid-command may leave the command waiting forever (a flush's PONG)
    return await Promise.race([command.run(rest, io), connections.dropped]);
  } catch (err) {
    // a failure caused by the server going away says so, naming the server
    const lost = await connections.lost();
    if (lost) {
      io.err(`nats-flow ${name}: ${lost}\n`);
      return 1;
    }
    // nats.js errors carry numeric codes (503, 408…): test the type before reading it as text
    const code = (err as { code?: unknown } | undefined)?.code;
    if (err instanceof UsageError || (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS'))) {
      io.err(`nats-flow ${name}: ${(err as Error).message}\nRun "nats-flow ${name} --help" for usage.\n`);
      return 2;
    }
    if (err instanceof CliFailure) {
      io.err(`nats-flow ${name}: ${err.message}\n`);
      return 1;
    }
    io.err(`nats-flow ${name}: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}

/** A y/N question on the terminal (stderr, so stdout stays clean for --json). */
async function askYesNo(question: string): Promise<boolean> {
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
  } finally {
    rl.close();
  }
}

if (require.main === module) {
  const io: CliIO = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t), env: process.env };
  if (process.stdin.isTTY && process.stderr.isTTY) io.confirm = askYesNo;
  let settled = false;
  // node exits 0 when nothing is left to wait on, even with the command unfinished: say so, exit 1
  process.on('beforeExit', () => {
    if (settled) return;
    settled = true;
    process.stderr.write(`nats-flow: stopped before the command finished (it was waiting on something that can no longer happen)\n`);
    process.exitCode = 1;
  });
  runCli(process.argv.slice(2), io).then(
    (code) => {
      settled = true;
      process.exitCode = code;
    },
    (err) => {
      settled = true;
      process.stderr.write(`nats-flow: ${String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
