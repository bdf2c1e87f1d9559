/**
 * Builds and runs test/nack (a Go program that decodes YAML strictly into NACK's own API
 * types, github.com/nats-io/nack v0.22.4 pinned in test/nack/go.mod) from the user cache,
 * outside the clone, the way scripts/ensure-tools.sh builds natscli.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { natsFlowCacheDir } from './binaries';

const SRC = join(__dirname, '..', 'nack');

function haveGo(): boolean {
  return spawnSync('go', ['version'], { stdio: 'ignore' }).status === 0;
}

export function nackCheckSkipReason(): string | false {
  return haveGo() ? false : 'Go is not installed: the NACK export cannot be decoded with NACK\'s Go types (install Go to run this test)';
}

/** The checker binary, built on first use and again when its sources change. */
export function nackCheckBinary(): string {
  const dir = join(natsFlowCacheDir(), 'nack-check');
  const bin = join(dir, 'nack-check');
  const newest = Math.max(...['main.go', 'go.mod', 'go.sum'].map((f) => statSync(join(SRC, f)).mtimeMs));
  if (!existsSync(bin) || statSync(bin).mtimeMs < newest) {
    mkdirSync(dir, { recursive: true });
    execFileSync('go', ['build', '-o', bin, '.'], { cwd: SRC, stdio: ['ignore', 'pipe', 'pipe'], timeout: 600_000 });
  }
  return bin;
}

export interface NackDecoded {
  kind: 'Stream' | 'Consumer' | 'KeyValue' | 'ObjectStore';
  name: string;
  spec: Record<string, unknown>;
  durations: Record<string, number>;
}

/** Decodes a multi-document YAML; throws with the checker's message when NACK's types refuse it. */
export function nackDecode(yaml: string): NackDecoded[] {
  const r = spawnSync(nackCheckBinary(), [], { input: yaml, encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(r.stderr.trim() || `nack-check exited ${r.status}`);
  return r.stdout.trim().split('\n').map((l) => JSON.parse(l) as NackDecoded);
}
