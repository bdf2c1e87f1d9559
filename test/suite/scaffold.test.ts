/**
 * Code scaffolding in a real VS Code: the lightbulb on a name in a TypeScript, Go and Python
 * file offers the patterns in that language and writes the project into the workspace after
 * showing the files; existing files are never overwritten without a second yes; the explorer
 * scaffolds from a live consumer on a real nats-server with its real settings.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { connect, nanos } from '@nats-io/transport-node';
import { AckPolicy, jetstreamManager, RetentionPolicy } from '@nats-io/jetstream';
import { startNatsServer, type NatsServer } from '../helpers/natsServer';
import type { NatsFlowApi } from '../../src/vscode/extension';
import type { DesignScaffoldResult, ScaffoldApi, ScaffoldResult, WritePlan } from '../../src/vscode/scaffold';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadDesign, planDesign } from '../../src/core/design';
import type { ExplorerNode } from '../../src/vscode/explorer';
import { api, waitFor } from '../helpers/vscodeSuite';

const run = <T = unknown>(id: string, ...args: unknown[]) => vscode.commands.executeCommand<T>(id, ...args);
const decoder = new TextDecoder();

suite('Scaffold code', function () {
  this.timeout(120_000);
  let a: NatsFlowApi;
  let sc: ScaffoldApi;
  let savedUi: ScaffoldApi['ui'];
  let root: vscode.Uri;
  const plans: WritePlan[] = [];
  let answer = true;
  let server: NatsServer | undefined;

  const read = async (rel: string) => decoder.decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(root, rel)));

  suiteSetup(async () => {
    a = await api();
    assert.ok(a.scaffold, 'the API exposes scaffolding');
    sc = a.scaffold;
    savedUi = sc.ui;
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the test VS Code has a workspace folder');
    root = folder.uri;
    // the lightbulb looks names up on a connected server: start from no connection
    await a.connections.disconnect();
    const unexpected = (what: string) => () => Promise.reject(new Error(`unexpected question: ${what}`));
    sc.ui = {
      pickPattern: unexpected('pattern'),
      pickLang: unexpected('language'),
      askName: unexpected('name'),
      pickTarget: unexpected('target'),
      askFolder: unexpected('folder'),
      confirmWrite: async (plan) => {
        plans.push(plan);
        return answer;
      },
      info: () => undefined,
    };
  });

  suiteTeardown(async () => {
    if (sc && savedUi) sc.ui = savedUi;
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    if (server) {
      await a.connections.disconnect();
      await run('natsFlow.connection.remove', 'user:scaffold', { confirmed: true });
      await server.stop();
    }
    await vscode.workspace.fs.delete(vscode.Uri.joinPath(root, 'scaffold-out'), { recursive: true, useTrash: false }).then(undefined, () => undefined);
  });

  setup(() => {
    plans.length = 0;
    answer = true;
  });

  async function lightbulb(file: string, text: string, token: string): Promise<vscode.CodeAction[]> {
    const uri = vscode.Uri.joinPath(root, 'scaffold-out', 'fixtures', file);
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const offset = text.indexOf(token) + 1;
    const pos = doc.positionAt(offset);
    // VS Code cancels a provider request when the editor it ran for changes under it (the new
    // editor settling on a loaded machine): ask again, as the lightbulb itself would
    let actions: vscode.CodeAction[] | undefined;
    for (let attempt = 1; ; attempt++) {
      try {
        actions = await run<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, new vscode.Range(pos, pos));
        break;
      } catch (err) {
        if (attempt >= 3 || !/Canceled/.test(String(err))) throw err;
      }
    }
    return (actions ?? []).filter((x) => x.kind?.value.startsWith('refactor.natsFlow.scaffold'));
  }

  async function apply(action: vscode.CodeAction, folder: string): Promise<ScaffoldResult> {
    assert.ok(action.command, `${action.title} has a command`);
    const [req] = action.command.arguments as [Record<string, unknown>];
    const r = await run<ScaffoldResult>(action.command.command, { ...req, target: 'folder', folder });
    assert.ok(r && !r.cancelled, `scaffolded: ${JSON.stringify(r)}`);
    return r;
  }

  test('TypeScript: the lightbulb on a stream name scaffolds a worker in TypeScript after listing the files', async () => {
    const actions = await lightbulb('orders.ts', 'const stream = "ORDERS";\n', 'ORDERS');
    assert.deepEqual(actions.map((x) => x.title), [
      'Scaffold work-queue worker for stream "ORDERS"',
      'Scaffold fan-out listener for stream "ORDERS"',
      'Scaffold idempotent publisher for stream "ORDERS"',
    ]);
    await apply(actions[0]!, 'scaffold-out/ts-worker');
    assert.equal(plans.length, 1, 'asked once, showing the plan');
    assert.ok(plans[0]!.files.includes('src/handler.ts') && plans[0]!.files.includes('package.json'), plans[0]!.files.join(', '));
    assert.deepEqual(plans[0]!.existing, []);
    assert.match(await read('scaffold-out/ts-worker/src/topology.ts'), /export const STREAM = "ORDERS"/);
    assert.match(await read('scaffold-out/ts-worker/package.json'), /"@nats-io\/jetstream": "3\.4\.0"/);
    assert.equal(vscode.window.activeTextEditor?.document.uri.path.endsWith('/ts-worker/src/handler.ts'), true, 'the handler opens');
  });

  test('Go: the lightbulb on a subject offers the subject patterns in Go', async () => {
    const actions = await lightbulb('main.go', 'package main\n\nconst subject = "tools.result.get"\n', 'tools.result.get');
    assert.deepEqual(actions.map((x) => x.title.split(' for ')[0]), ['Scaffold work-queue worker', 'Scaffold fan-out listener', 'Scaffold idempotent publisher', 'Scaffold request/reply']);
    const r = await apply(actions[3]!, 'scaffold-out/go-rr');
    assert.equal(r.spec.lang, 'go');
    assert.match(await read('scaffold-out/go-rr/cmd/responder/main.go'), /subject = "tools\.result\.get"/);
    assert.match(await read('scaffold-out/go-rr/go.mod'), /require github\.com\/nats-io\/nats\.go v1\.51\.0/);
  });

  test('Python: the lightbulb on a bucket name scaffolds a KV watcher in Python; nothing on plain code', async () => {
    const actions = await lightbulb('app.py', 'BUCKET = "sessions"\nprint(len([]))\n', 'sessions');
    assert.deepEqual(actions.map((x) => x.title), ['Scaffold kv watcher for bucket "sessions"']);
    await apply(actions[0]!, 'scaffold-out/py-kv');
    assert.match(await read('scaffold-out/py-kv/kv_watcher.py'), /BUCKET = "sessions"/);
    assert.match(await read('scaffold-out/py-kv/requirements.txt'), /^nats-py==2\.16\.0$/m);
    const none = await lightbulb('plain.py', 'print(len([]))\n', 'len');
    assert.deepEqual(none, [], 'no bulb outside a string literal');
  });

  test('existing files are not overwritten without a second yes that names them', async () => {
    const handler = vscode.Uri.joinPath(root, 'scaffold-out/py-kv/handler.py');
    await vscode.workspace.fs.writeFile(handler, new TextEncoder().encode('# my code\n'));
    answer = false;
    const r = await run<ScaffoldResult>('natsFlow.scaffold.create', { pattern: 'kv-watcher', lang: 'python', bucket: 'sessions', target: 'folder', folder: 'scaffold-out/py-kv' });
    assert.equal(r?.cancelled, true);
    assert.ok(plans[0]!.existing.includes('handler.py'), `the plan names the existing files: ${plans[0]!.existing.join(', ')}`);
    assert.equal(await read('scaffold-out/py-kv/handler.py'), '# my code\n', 'the user\'s handler is untouched');
  });

  test('untitled editors: the handler and the main wiring file, in the language picked', async () => {
    const r = await run<ScaffoldResult>('natsFlow.scaffold.create', { pattern: 'publisher', lang: 'python', stream: 'PAYMENTS', target: 'untitled' });
    assert.equal(r?.untitled.length, 2);
    assert.deepEqual(r!.untitled.map((d) => [d.isUntitled, d.languageId]), [[true, 'python'], [true, 'python']]);
    assert.match(r!.untitled[1]!.getText(), /publish_once/);
    assert.equal(plans.length, 0, 'nothing written, nothing to confirm');
  });

  test('bad input is refused with a message naming it', async () => {
    const r = await run<ScaffoldResult>('natsFlow.scaffold.create', { pattern: 'worker', lang: 'ts', stream: 'BAD NAME', target: 'folder', folder: 'scaffold-out/bad' });
    assert.equal(r, undefined, 'the command failed (shown as an error message)');
    const exists = await vscode.workspace.fs.stat(vscode.Uri.joinPath(root, 'scaffold-out/bad')).then(() => true, () => false);
    assert.equal(exists, false);
  });

  test('Decide panel: "Scaffold code" feeds the decision\'s suggested stream and consumer to the scaffold', async () => {
    await run('natsFlow.decide.open', { description: 'an order is placed: exactly one worker charges the card; charging twice would be wrong', environment: 'development', showPanel: true });
    const decide = a.decide!;
    const st = decide.panelState!;
    assert.equal(st.decision.primitive, 'stream');
    const pickedPatterns: string[] = [];
    const ui = sc.ui;
    sc.ui = { ...ui, pickPattern: async () => (pickedPatterns.push('asked'), 'worker'), pickLang: async () => 'python', pickTarget: async () => 'folder', askFolder: async () => 'scaffold-out/from-decide' };
    try {
      const r = await decide.panelHandlers!['decide/scaffold']({});
      assert.equal(r.done, true, r.message);
      assert.match(r.message, /^Wrote \d+ files for the worker \(\w+\) to scaffold-out/);
    } finally {
      sc.ui = ui;
      decide.closePanel();
    }
    const cfg = st.decision.config as { stream: { name: string }; consumer: { durable_name: string } };
    const written = sc.last!;
    assert.equal(written.spec.stream.name, cfg.stream.name);
    assert.equal(written.spec.consumer.durable_name, cfg.consumer.durable_name);
    assert.match(written.spec.source, /Decide|decision/i);
  });

  test('explorer: "Scaffold Code…" on a live consumer uses its real settings', async () => {
    server = await startNatsServer({ serverName: 'vscode-scaffold' });
    const nc = await connect({ servers: server.url });
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: 'TASKS', subjects: ['tasks.>'], retention: RetentionPolicy.Workqueue });
    await jsm.consumers.add('TASKS', { durable_name: 'runner', ack_policy: AckPolicy.Explicit, ack_wait: nanos(45_000), max_deliver: 7, filter_subject: 'tasks.>' });
    await nc.close();
    await run('natsFlow.connection.add', { name: 'scaffold', servers: server.url });
    assert.equal(a.connections.current.state, 'connected');
    // the consumer's node as the explorer tree gives it to the context menu
    const tree = a.tree;
    const profile = (await tree.getChildren()).find((n) => n.kind === 'profile' && n.profileId === 'user:scaffold')!;
    const streams = (await tree.getChildren(profile)).find((n) => n.kind === 'streams')!;
    const tasks = (await tree.getChildren(streams)).find((n) => n.kind === 'stream' && n.stream.name === 'TASKS')!;
    const node = (await tree.getChildren(tasks)).find((n) => n.kind === 'consumer' && n.consumer.name === 'runner') as ExplorerNode;
    assert.ok(node, 'consumer runner in the tree');
    assert.match(String(tree.getTreeItem(node).contextValue), /^consumer\./, 'the menu entry applies (viewItem =~ /^consumer\\./)');
    const r = await run<ScaffoldResult>('natsFlow.scaffold.fromExplorer', node, { lang: 'go', target: 'folder', folder: 'scaffold-out/go-live' });
    assert.ok(r && !r.cancelled, JSON.stringify(r));
    assert.match(r.spec.source, /live stream TASKS, consumer runner/);
    const topology = await read('scaffold-out/go-live/topology.go');
    assert.match(topology, /maxDeliver += 7/);
    assert.match(topology, /ackWait = 45 \* time\.Second/);

    // connected, the lightbulb knows TASKS is a live stream and configures from it
    const actions = await lightbulb('tasks.py', 'STREAM = "TASKS"\n', 'TASKS');
    assert.deepEqual(actions.map((x) => x.title), [
      'Scaffold work-queue worker for live stream "TASKS"',
      'Scaffold fan-out listener for live stream "TASKS"',
      'Scaffold idempotent publisher for live stream "TASKS"',
    ]);
    const pub = await apply(actions[2]!, 'scaffold-out/py-live-pub');
    assert.match(pub.spec.source, /live stream TASKS/);
    assert.match(await read('scaffold-out/py-live-pub/topology.py'), /ensure_stream\(js, STREAM, \["tasks\.>"\], RetentionPolicy\.WORK_QUEUE/);
  });

  test('a design path, then the whole design open in the designer, with the planned settings; a second run asks before overwriting', async () => {
    const text = readFileSync(join(__dirname, '..', '..', '..', 'examples', 'overmind.natsflow.json'), 'utf8') // compiled to out/test/suite;
    const loaded = loadDesign(text);
    assert.ok(loaded.ok);
    const consumer = planDesign(loaded.design).consumers.find((c) => c.path === 'memory-events')!;
    const uri = vscode.Uri.joinPath(root, 'scaffold-out', 'overmind.natsflow.json');
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));

    const one = await run<DesignScaffoldResult>('natsFlow.scaffold.designPath', { design: uri, path: 'memory-events', lang: 'ts', folder: 'scaffold-out/design-one' });
    assert.ok(one && !one.cancelled, JSON.stringify(one));
    assert.deepEqual(one.units.map((u) => [u.component, u.pattern]), [['memory-api', 'publisher'], ['temporal-worker', 'worker']]);
    assert.equal(plans.length, 1);
    assert.ok(plans[0]!.files.includes('temporal-worker/memory-events-worker/src/topology.ts'), plans[0]!.files.join(','));
    assert.deepEqual(plans[0]!.existing, []);
    const topology = await read('scaffold-out/design-one/temporal-worker/memory-events-worker/src/topology.ts');
    assert.match(topology, new RegExp(`durable: "${consumer.config.durable_name}"`));
    assert.match(topology, new RegExp(`ackWaitMs: ${consumer.config.ack_wait / 1e6},`));

    // the whole design of the active designer tab
    await run('vscode.openWith', uri, 'natsFlow.designer');
    const all = await run<DesignScaffoldResult>('natsFlow.scaffold.design', { lang: 'python', folder: 'scaffold-out/design-all' });
    assert.ok(all && !all.cancelled);
    assert.equal(all.units.length, loaded.design.paths.length + planDesign(loaded.design).consumers.length);
    assert.match(await read('scaffold-out/design-all/README.md'), /npm run sandbox[\s\S]*temporal-worker\/memory-events-worker/);

    // the designer's "Scaffold code…" on a path (design/scaffold): asks the language and the folder, then writes
    const editor = await waitFor('the designer of overmind.natsflow.json', () => a.designer!.editor(uri));
    const ui = sc.ui;
    sc.ui = { ...ui, pickLang: async () => 'go', askFolder: async (value) => (assert.equal(value, 'overmind-llm-requests'), 'scaffold-out/design-designer') };
    try {
      const msg = await editor.scaffold('llm-requests');
      assert.match(msg.message, /^Scaffolded 2 projects \(\d+ files\)\.$/);
    } finally {
      sc.ui = ui;
    }
    assert.match(await read('scaffold-out/design-designer/metrics-collector/llm-requests-listener/topology.go'), /"metrics-consumer"/);

    // again into the same folder: the confirmation names the files it would overwrite; no keeps them
    answer = false;
    plans.length = 0;
    const again = await run<DesignScaffoldResult>('natsFlow.scaffold.design', { design: uri, lang: 'python', folder: 'scaffold-out/design-all' });
    assert.equal(again?.cancelled, true);
    const asked = plans[0] as WritePlan;
    assert.ok(asked.existing.includes('README.md') && asked.existing.length === asked.files.length, JSON.stringify(asked.existing));
  });
});
