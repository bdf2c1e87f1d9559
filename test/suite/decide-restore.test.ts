/**
 * After a window reload VS Code hands the saved decide panel back to the extension: the
 * restored panel recomputes the decision from the saved inputs (never trusts a saved
 * verdict) and renders it; a tampered state falls back to an empty decision.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { DECIDE_VIEW_TYPE, DecidePanel } from '../../src/vscode/decide/decidePanel';
import { NOT_CONNECTED } from '../../src/vscode/decide/viewState';
import { extension as ext, waitFor } from '../helpers/vscodeSuite';

suite('Decide panel restore', function () {
  this.timeout(60_000);
  const deps = { server: () => NOT_CONNECTED, create: async () => ({ created: [], skipped: [], ok: false, error: 'not in this test' }) as never };
  const newPanel = () => vscode.window.createWebviewPanel(DECIDE_VIEW_TYPE, 'restored', vscode.ViewColumn.One, {});

  teardown(() => DecidePanel.instance?.dispose());

  test('a saved state is decided again from its inputs and rendered', async () => {
    await ext().activate();
    // the saved verdict says kv; the inputs say stream: the engine wins
    const saved = { description: 'charge the card', given: { restart: 'no' }, environment: 'development', decision: { primitive: 'kv' } };
    const panel = DecidePanel.restore(newPanel(), ext().extensionUri, saved, deps);
    assert.equal(panel.viewState.decision.primitive, 'stream');
    assert.equal(panel.viewState.environment, 'development');
    assert.deepEqual(panel.viewState.given, { restart: 'no' });
    const rendered = await waitFor('the restored panel to render', () => panel.lastRendered, 30_000);
    assert.equal(rendered.primitive, 'stream');
  });

  test('a tampered state is not shown: the panel comes back empty', async () => {
    const panel = DecidePanel.restore(newPanel(), ext().extensionUri, { description: 42, given: { restart: 'perhaps' } }, deps);
    assert.equal(panel.viewState.decision.primitive, 'undecided');
    assert.equal(panel.viewState.description, '');
  });
});
