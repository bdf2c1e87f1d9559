// Debian's Chromium as every browser-driven script and test here launches it: the flags and
// where the binary is. Plain ESM with types in chromiumFlags.d.mts, so both the .mjs scripts
// and the TypeScript tests (under tsx) import it.
import { existsSync } from 'node:fs';

/** Flags that make Debian's Chromium behave on a headless 2-core box without network. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/** The Chromium binary: NATS_FLOW_CHROMIUM, CHROMIUM_BIN or /usr/bin/chromium; throws when it is missing. */
export function chromiumPath(env = process.env) {
  const p = env.NATS_FLOW_CHROMIUM || env.CHROMIUM_BIN || '/usr/bin/chromium';
  if (!existsSync(p)) throw new Error(`Chromium not found at ${p}. Install Debian's chromium (apt-get install chromium fonts-dejavu-core) or set NATS_FLOW_CHROMIUM.`);
  return p;
}
