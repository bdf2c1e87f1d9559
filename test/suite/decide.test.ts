import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { Decision } from '../../src/core/decide';
import type { NatsFlowApi } from '../../src/vscode/extension';
import type { DecideApi } from '../../src/vscode/decide';
import type { ExplorerApi } from '../../src/vscode/explorer';
import { natsCliOn, startNatsServer, type NatsServer } from '../helpers/natsServer';
import { api, waitFor } from '../helpers/vscodeSuite';

const PANEL_TITLE = 'Decide: KV or Stream';

async function decideApi(): Promise<DecideApi> {
  const d = (await api()).decide;
  assert.ok(d, 'NatsFlowApi.decide is set');
  return d;
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
    // classifying the description loaded the pre-classifier's model in the extension host
    const times = (await decideApi()).modelLoadTimes;
    assert.ok(times.weights !== undefined && times.clusters !== undefined, `model load times after a classification: ${JSON.stringify(times)}`);
    console.log(`decide model loaded on first use in the extension host: weights.json ${times.weights.toFixed(1)} ms, clusters.json ${times.clusters.toFixed(1)} ms`);
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
    assert.match(parts[0]!.value, /Conflict: the tests disagree \(KV: restart[^;]*; Stream: processing\)/);
    assert.match(parts[0]!.value, /Nearest common case: Entity state changed/);
    const json = JSON.parse(parts[1]!.value) as Decision;
    assert.equal(json.primitive, 'kv');
    assert.deepEqual(json.disagree, ['restart', 'processing']);
    // the same evidence the CLI and the QuickPick show: every inferred test names its words
    for (const t of json.tests.filter((x) => x.source === 'inferred')) {
      for (const e of t.evidence) assert.ok(parts[0]!.value.includes(`"${e}"`), `${t.id} evidence "${e}" in the summary`);
    }
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

/**
 * "Create on server" against a real nats-server: the decision's suggested objects are
 * created through the explorer's confirm-and-create path, and natscli sees them.
 */
suite('Decide → Create on server', function () {
  this.timeout(180_000);
  let server: NatsServer;
  let a: NatsFlowApi;
  let ex: ExplorerApi;
  let savedUi: ExplorerApi['ui'];
  const asked: { message: string; detail: string; actions: string[] }[] = [];
  const errors: string[] = [];
  let choice: string | undefined;

  const run = (id: string, ...args: unknown[]) => vscode.commands.executeCommand<any>(id, ...args);
  const { cli, cliJson, cliFails } = natsCliOn(() => server);

  suiteSetup(async () => {
    server = await startNatsServer({ serverName: 'vscode-decide' });
    a = await api();
    assert.ok(a.explorer);
    ex = a.explorer;
    savedUi = ex.ui;
    ex.ui = {
      confirm: async (message, detail, action) => {
        asked.push({ message, detail, actions: [action] });
        return choice !== undefined;
      },
      choose: async (message, detail, actions) => {
        asked.push({ message, detail, actions });
        return choice;
      },
      info: () => undefined,
      error: (m) => void errors.push(m),
    };
  });

  suiteTeardown(async () => {
    if (ex && savedUi) ex.ui = savedUi;
    (await decideApi()).closePanel();
    await a?.connections.disconnect();
    await run('natsFlow.connection.remove', 'user:decide', { confirmed: true });
    await server?.stop();
  });

  setup(() => {
    asked.length = 0;
    errors.length = 0;
    choice = undefined;
  });

  test('not connected: Create on server is disabled and says so; connecting enables it in the open panel', async () => {
    const decide = await decideApi();
    await a.connections.disconnect();
    await open({ description: 'Exactly one worker charges the card; charging twice would be wrong.', environment: 'development' });
    await waitFor('the panel state', () => decide.panelState);
    const before = decide.panelState!.actions.find((x) => x.id === 'createOnServer')!;
    assert.equal(before.enabled, false);
    assert.match(before.tooltip, /^Not connected/);
    const refused = await run('natsFlow.decide.create', { confirmed: true });
    assert.equal(refused.ok, false);
    assert.match(refused.message, /^Not connected/);

    await run('natsFlow.connection.add', { name: 'decide', servers: server.url });
    assert.equal(a.connections.current.state, 'connected', JSON.stringify(a.connections.current.error));
    const after = await waitFor('Create enabled', () => decide.panelState?.actions.find((x) => x.id === 'createOnServer' && x.enabled));
    assert.match(after.tooltip, /^Create stream \S+ and consumer \S+ .* on decide; you confirm first/);
    assert.equal(decide.panelState!.actions.find((x) => x.id === 'addToDesign')!.enabled, false, 'design stays disabled');
    assert.equal(decide.panelState!.actions.find((x) => x.id === 'scaffold')!.enabled, true, 'scaffold is available once decided');
  });

  test('stream verdict through the panel: the modal names stream and consumer with natscli, offers the DLQ; "Create with dead-letter stream" creates all three', async () => {
    const decide = await decideApi();
    await waitFor('webview/ready', () => decide.webviewReady, 30_000);
    const cfg = decide.panelState!.decision.config as { stream: { name: string; subjects: string[] }; consumer: { durable_name: string; max_deliver: number; backoff: number[] }; dead_letter: { stream: { name: string; subjects: string[] } } };
    const handlers = decide.panelHandlers!;

    // cancelled: nothing is created
    const cancelled = await handlers['decide/create']({});
    assert.deepEqual(cancelled, { ok: false, cancelled: true, created: [], message: 'Nothing created.' });
    assert.ok(await cliFails('stream', 'info', cfg.stream.name));

    choice = 'Create with dead-letter stream';
    const r = await handlers['decide/create']({});
    assert.equal(r.ok, true, r.message);
    const q = asked.at(-1)!;
    assert.equal(q.message, `Create stream "${cfg.stream.name}" and consumer "${cfg.consumer.durable_name}" on stream ${cfg.stream.name}?`);
    assert.deepEqual(q.actions, ['Create', 'Create with dead-letter stream']);
    assert.ok(q.detail.includes(`nats stream add ${cfg.stream.name} --subjects=`), q.detail);
    // the suggested consumer has a backoff list, which natscli flags cannot say: --config
    assert.ok(q.detail.includes(`nats consumer add ${cfg.stream.name} ${cfg.consumer.durable_name} --config`), q.detail);
    assert.ok(q.detail.includes(`stream "${cfg.dead_letter.stream.name}"`), q.detail);
    assert.match(q.detail, /# optional/);
    assert.deepEqual(r.created, [`stream "${cfg.stream.name}"`, `consumer "${cfg.consumer.durable_name}" on stream ${cfg.stream.name}`, `stream "${cfg.dead_letter.stream.name}"`]);

    const si = await cliJson('stream', 'info', cfg.stream.name);
    assert.deepEqual(si.config.subjects, cfg.stream.subjects);
    assert.equal(si.config.retention, 'workqueue');
    assert.equal(si.config.num_replicas, 1, 'development: R1');
    const ci = await cliJson('consumer', 'info', cfg.stream.name, cfg.consumer.durable_name);
    assert.equal(ci.config.max_deliver, cfg.consumer.max_deliver);
    assert.deepEqual(ci.config.backoff, cfg.consumer.backoff);
    const dlq = await cliJson('stream', 'info', cfg.dead_letter.stream.name);
    assert.deepEqual(dlq.config.subjects, cfg.dead_letter.stream.subjects);
  });

  test('KV verdict by command with {confirmed: true}: the bucket is created as suggested', async () => {
    const description = 'Order status changed; the storefront, the dashboard and the analytics service all react and just overwrite.';
    const d = await open({ description, environment: 'development', showPanel: false });
    const bucket = (d!.config as { bucket: { bucket: string; history: number } }).bucket;
    const r = await run('natsFlow.decide.create', { description, environment: 'development', confirmed: true });
    assert.equal(r.ok, true, r.message);
    assert.deepEqual(r.created, [`KV bucket "${bucket.bucket}"`]);
    assert.equal(asked.length, 0, 'confirmed: no modal');
    assert.match(ex.lastConfirm?.detail ?? '', new RegExp(`nats kv add ${bucket.bucket} .*--history=${bucket.history}`));
    assert.match(await cli('kv', 'ls', '--names'), new RegExp(`^${bucket.bucket}$`, 'm'));
    const info = await cliJson('stream', 'info', `KV_${bucket.bucket}`);
    assert.equal(info.config.max_msgs_per_subject, bucket.history);
    assert.equal(info.config.num_replicas, 1);
  });

  test('an existing stream that already takes the subject is reused: the confirmation says so first, only the consumer is created', async () => {
    const description = 'Invoice requested: exactly one worker renders the PDF; rendering twice would be wrong.';
    const d = await open({ description, environment: 'development', showPanel: false });
    const cfg = d!.config as { stream: { name: string; subjects: string[] }; consumer: { durable_name: string } };
    await cli('stream', 'add', 'CLASH', `--subjects=${cfg.stream.subjects[0]}`, '--storage=memory', '--replicas=1', '--defaults');
    // the open panel says so before the user presses Create
    const decide = await decideApi();
    await open({ description, environment: 'development' });
    const notes = await waitFor('server notes in the panel', () => decide.panelState?.serverNotes?.find((n) => /Stream "CLASH" already takes/.test(n)), 20_000);
    assert.match(notes, /reusing it, so only the consumer is created/);
    const r = await run('natsFlow.decide.create', { description, environment: 'development', confirmed: true });
    assert.equal(r.ok, true, r.message);
    assert.match(ex.lastConfirm?.detail ?? '', /Stream "CLASH" already takes .* reusing it, so only the consumer is created/);
    assert.deepEqual(r.created, [`consumer "${cfg.consumer.durable_name}" on stream CLASH`]);
    assert.equal((await cliJson('consumer', 'info', 'CLASH', cfg.consumer.durable_name)).config.durable_name, cfg.consumer.durable_name);
    assert.ok(await cliFails('stream', 'info', cfg.stream.name), 'no second, overlapping stream');
  });

  test('a stream with the suggested name but other subjects: a free name is proposed and used', async () => {
    const description = 'Transcode the uploaded video to 720p; only one worker does each, it takes minutes.';
    const d = await open({ description, environment: 'development', showPanel: false });
    const name = (d!.config as { stream: { name: string } }).stream.name;
    await cli('stream', 'add', name, '--subjects=elsewhere.>', '--storage=memory', '--replicas=1', '--defaults');
    const r = await run('natsFlow.decide.create', { description, environment: 'development', confirmed: true });
    assert.equal(r.ok, true, r.message);
    assert.match(ex.lastConfirm?.detail ?? '', new RegExp(`A stream named "${name}" already exists with other subjects: suggesting "${name}_2"`));
    assert.equal(r.created[0], `stream "${name}_2"`);
    assert.deepEqual((await cliJson('stream', 'info', `${name}_2`)).config.subjects, [`${(d!.config as { subject: string }).subject.split('.')[0]}.>`]);
  });

  test('a refusal shows the AdminError message and hint', async () => {
    // production (R3) on a single server: the confirmation warns, the server refuses with the hint
    const prod = await run('natsFlow.decide.create', { description: 'Generate the quarterly tax report: only one worker does it, never twice.', environment: 'production', confirmed: true });
    assert.equal(prod.ok, false);
    assert.match(ex.lastConfirm?.detail ?? '', /not clustered/);
    assert.match(prod.message, /replicas 1/i);
  });
});
