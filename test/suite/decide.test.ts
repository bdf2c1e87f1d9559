import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { Decision } from '../../src/core/decide';
import type { NatsFlowApi } from '../../src/vscode/extension';
import type { DecideApi } from '../../src/vscode/decide';

const PANEL_TITLE = 'Decide: KV or Stream';

async function api(): Promise<NatsFlowApi> {
  const ext = vscode.extensions.getExtension<NatsFlowApi>('nats-flow.nats-flow');
  assert.ok(ext, 'extension nats-flow.nats-flow is installed');
  return ext.isActive ? ext.exports : await ext.activate();
}

async function decideApi(): Promise<DecideApi> {
  const d = (await api()).decide;
  assert.ok(d, 'NatsFlowApi.decide is set');
  return d;
}

async function waitFor<T>(what: string, probe: () => T | undefined | false, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const panelTabs = () =>
  vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.label === PANEL_TITLE && t.input instanceof vscode.TabInputWebview);

const open = (args: unknown) => vscode.commands.executeCommand<Decision | undefined>('natsFlow.decide.open', args);

suite('Decide KV or Stream', function () {
  this.timeout(60_000);

  suiteTeardown(async () => (await decideApi()).closePanel());

  test('the command is contributed and registered', async () => {
    await api();
    const all = await vscode.commands.getCommands(true);
    assert.ok(all.includes('natsFlow.decide.open'));
  });

  test('scripted args without a panel return the decision: restart "no" → Stream, decided by restart', async () => {
    const d = await open({ description: 'order placed', answers: { restart: 'no' }, showPanel: false });
    assert.ok(d);
    assert.equal(d.primitive, 'stream');
    assert.equal(d.decidedBy, 'restart');
    assert.equal(d.tests[0]!.source, 'given');
    assert.equal((await decideApi()).panelState, undefined, 'no panel opened');
    assert.equal(panelTabs().length, 0);
  });

  test('scripted conflict: given answers that disagree name the disagreeing tests', async () => {
    const d = await open({ description: 'Entity state changed', answers: { restart: 'yes', processing: 'slow', nature: 'request' }, showPanel: false });
    assert.ok(d);
    assert.equal(d.primitive, 'kv');
    assert.equal(d.conflict, true);
    assert.deepEqual(d.disagree, ['restart', 'processing', 'nature']);
    assert.match(d.advice ?? '', /separate concerns/);
  });

  test('invalid scripted answers are refused with a message, not a decision', async () => {
    const d = await open({ answers: { restart: 'maybe' }, showPanel: false });
    assert.equal(d, undefined);
  });

  test('with a panel: the tab opens, the webview loads under its CSP, says ready and renders the decision', async () => {
    const decide = await decideApi();
    const d = await open({ description: 'Order status changed; the storefront, the dashboard and the analytics service all react and just overwrite.' });
    assert.ok(d);
    assert.equal(d.primitive, 'kv');
    await waitFor('the panel tab', () => panelTabs().length === 1);
    assert.equal(decide.panelState?.decision.primitive, 'kv');
    await waitFor('webview/ready from the panel', () => decide.webviewReady, 30_000);
    const rendered = await waitFor('decide/rendered from the panel', () => decide.lastRendered, 30_000);
    assert.deepEqual(rendered, { primitive: 'kv', tests: 4 });
    assert.deepEqual([...decide.webviewErrors], []);
  });

  test('running again reuses the one panel and shows the new decision', async () => {
    const decide = await decideApi();
    const d = await open({ description: 'Exactly one worker charges the card; charging twice would be wrong.' });
    assert.equal(d?.primitive, 'stream');
    assert.equal(panelTabs().length, 1, 'still one panel');
    const rendered = await waitFor('the new decision rendered', () => decide.lastRendered?.primitive === 'stream' && decide.lastRendered, 30_000);
    assert.equal(rendered.tests, 4);
  });

  test('the panel’s requests reach the engine in the host: decide/run and decide/copyConfig', async () => {
    const decide = await decideApi();
    const handlers = decide.panelHandlers;
    assert.ok(handlers, 'panel is open');
    const next = await handlers['decide/run']({ description: 'Entity state changed', answers: { restart: 'yes' }, environment: 'development' });
    assert.equal(next.decision.primitive, 'kv');
    assert.equal(next.environment, 'development');
    assert.equal(decide.panelState?.decision.primitive, 'kv', 'the panel state follows');
    const copied = await handlers['decide/copyConfig']({});
    assert.equal(copied.copied, true);
    const clip = await vscode.env.clipboard.readText();
    assert.deepEqual(JSON.parse(clip), next.decision.config);
    assert.equal(JSON.parse(clip).bucket.replicas, 1, 'development config');
  });

  test('closing the panel disposes it', async () => {
    const decide = await decideApi();
    decide.closePanel();
    await waitFor('the panel tab to close', () => panelTabs().length === 0);
    assert.equal(decide.panelState, undefined);
    assert.equal(decide.webviewReady, false);
  });

  test('the language model tool is registered and answers with a summary and the decision as JSON', async function () {
    const decide = await decideApi();
    if (typeof vscode.lm?.invokeTool !== 'function') this.skip();
    assert.equal(decide.toolRegistered, true);
    const tool = vscode.lm.tools.find((t) => t.name === 'nats-flow_decide');
    assert.ok(tool, `nats-flow_decide is in vscode.lm.tools (${vscode.lm.tools.map((t) => t.name).join(', ')})`);
    assert.ok(tool.inputSchema && 'properties' in tool.inputSchema);
    const result = await vscode.lm.invokeTool('nats-flow_decide', {
      input: { description: 'Entity state changed', restart: 'yes', processing: 'slow' },
      toolInvocationToken: undefined,
    });
    const parts = result.content.filter((p): p is vscode.LanguageModelTextPart => p instanceof vscode.LanguageModelTextPart);
    assert.equal(parts.length, 2, 'summary + JSON');
    assert.match(parts[0]!.value, /^Verdict: KV Watch \(decided by test 1, Restart Test/);
    assert.match(parts[0]!.value, /Conflict: restart, processing disagree/);
    assert.match(parts[0]!.value, /Nearest common case: Entity state changed/);
    const json = JSON.parse(parts[1]!.value) as Decision;
    assert.equal(json.primitive, 'kv');
    assert.deepEqual(json.disagree, ['restart', 'processing']);
  });

  test('the language model tool refuses empty input and bad answers', async function () {
    if (typeof vscode.lm?.invokeTool !== 'function') this.skip();
    await assert.rejects(
      Promise.resolve(vscode.lm.invokeTool('nats-flow_decide', { input: {}, toolInvocationToken: undefined })),
      /description of the communication path/,
    );
    await assert.rejects(
      Promise.resolve(vscode.lm.invokeTool('nats-flow_decide', { input: { restart: 'maybe' }, toolInvocationToken: undefined })),
      /restart: expected one of yes\|no\|unsure/,
    );
  });
});
