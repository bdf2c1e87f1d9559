/**
 * Plumbing shared by the extension-host suites (test/suite/*.test.ts). It lives outside
 * test/suite because every .ts file there becomes its own bundle entry (scripts/build.mjs).
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { NatsFlowApi } from '../../src/vscode/extension';

export const EXTENSION_ID = 'nats-flow.nats-flow';

/** This extension as VS Code knows it (not activated here). */
export function extension(): vscode.Extension<NatsFlowApi> {
  const ext = vscode.extensions.getExtension<NatsFlowApi>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not known to VS Code (extensions: ${vscode.extensions.all.map((e) => e.id).filter((id) => !id.startsWith('vscode.')).join(', ') || 'none'})`);
  return ext;
}

/** The extension's API, activating it first when it is not active yet. */
export async function api(): Promise<NatsFlowApi> {
  const ext = extension();
  return ext.isActive ? ext.exports : await ext.activate();
}

/** Polls `probe` (sync or async) every 50 ms until it returns something truthy, and returns that. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
