/**
 * The opt-in language-model option of Decide in a real VS Code, against a real `vscode.lm`
 * chat model: test/fixtures/fake-lm registers one through
 * `vscode.lm.registerLanguageModelChatProvider` (this machine has no other) and answers from a
 * script; scripts/vscode-test.mjs loads it beside NATS Flow. Its models ask for no
 * authorization, so VS Code shows no consent dialog before NATS Flow may use them.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { Decision } from '../../src/core/decide';
import type { DecideApi } from '../../src/vscode/decide';
import { api, waitFor } from '../helpers/vscodeSuite';

interface FakeModel {
  state: { requests: { text: string; cancelled: boolean }[] };
  reply(mode: 'json' | 'throw' | 'hang', text?: string): void;
  reset(): void;
}

const DESCRIPTION = 'Order status changed; all services react and just overwrite.';
const GOOD = JSON.stringify({
  restart: { answer: 'no', reason: 'handled orders must not be handled again' },
  fanout: { answer: 'one', reason: 'one worker takes each' },
  processing: { answer: 'slow', reason: 'it sends mail' },
  nature: { answer: 'request', reason: 'it asks for work' },
});

const lmConfig = () => vscode.workspace.getConfiguration('natsFlow.decide.languageModel');
const open = (args: unknown) => vscode.commands.executeCommand<Decision | undefined>('natsFlow.decide.open', args);

async function decideApi(): Promise<DecideApi> {
  const d = (await api()).decide;
  assert.ok(d, 'NatsFlowApi.decide is set');
  return d;
}

async function fakeModel(): Promise<FakeModel> {
  const ext = vscode.extensions.getExtension<FakeModel>('nats-flow-test.fake-lm');
  assert.ok(ext, 'the test chat model extension (test/fixtures/fake-lm) is loaded');
  return ext.isActive ? ext.exports : await ext.activate();
}

async function setEnabled(on: boolean | undefined): Promise<void> {
  await lmConfig().update('enabled', on, vscode.ConfigurationTarget.Global);
}

suite('Decide: language-model suggestions (opt-in)', function () {
  this.timeout(60_000);
  let fake: FakeModel;

  suiteSetup(async () => {
    fake = await fakeModel();
    await lmConfig().update('vendor', 'nats-flow-test', vscode.ConfigurationTarget.Global);
  });
  setup(() => fake.reset());
  suiteTeardown(async () => {
    await setEnabled(undefined);
    for (const k of ['vendor', 'timeoutSeconds']) await lmConfig().update(k, undefined, vscode.ConfigurationTarget.Global);
    (await decideApi()).closePanel();
  });

  test('setting off (the default): the model receives nothing and vscode.lm is never called', async () => {
    const decide = await decideApi();
    assert.equal(lmConfig().get('enabled'), false, 'off by default');
    fake.reply('json', GOOD);
    const before = decide.languageModelCalls;
    const d = await open({ description: DESCRIPTION });
    assert.ok(d);
    assert.ok(d.tests.every((t) => t.source !== 'suggested'), 'no suggested answers');
    assert.equal(d.tests[0]!.source, 'inferred');
    assert.equal(fake.state.requests.length, 0, 'the model received no request');
    assert.deepEqual(decide.languageModelCalls, before, 'no selectChatModels / sendRequest call');
    assert.equal(decide.panelState?.languageModel, undefined, 'the panel shows no language-model banner');
  });

  test('setting on: one request with the seed and the description; answers show as suggested, in the panel and the JSON; each is overridable', async () => {
    const decide = await decideApi();
    await setEnabled(true);
    fake.reply('json', GOOD);
    const d = await open({ description: DESCRIPTION });
    assert.ok(d);
    assert.equal(fake.state.requests.length, 1, 'exactly one request');
    const sent = fake.state.requests[0]!.text;
    assert.ok(sent.includes(DESCRIPTION), 'the description was sent');
    assert.ok(sent.includes('If this processor restarted, should it re-process messages it already handled?'), 'the seed’s restart test was sent');
    assert.deepEqual(d.tests.map((t) => t.source), ['suggested', 'suggested', 'suggested', 'suggested']);
    assert.equal(d.primitive, 'stream', 'the suggestions decide (the offline reading alone says KV)');
    assert.match(d.tests[0]!.why, /^Suggested by the language model: handled orders must not be handled again \(offline classifier: Yes/);
    const state = await waitFor('panel state', () => decide.panelState);
    assert.equal(state.languageModel?.model, 'NATS Flow test model');
    assert.deepEqual(state.languageModel?.notes, []);
    await waitFor('the webview rendered the suggested decision', () => decide.lastRendered?.primitive === 'stream');
    assert.deepEqual(decide.webviewErrors, []);
    // the decision JSON names the source
    assert.match(JSON.stringify(state.decision), /"source":"suggested"/);

    // override from the panel, as its form does: a given answer wins, the others stay suggested
    const handlers = decide.panelHandlers;
    assert.ok(handlers);
    const next = await handlers['decide/run']({ description: DESCRIPTION, answers: { restart: 'yes' }, environment: 'production' });
    assert.deepEqual(next.decision.tests.map((t) => t.source), ['given', 'suggested', 'suggested', 'suggested']);
    assert.equal(next.decision.primitive, 'kv');
    assert.equal(fake.state.requests.length, 1, 'changing answers sends nothing again');
    // an edited description drops the suggestions: they were for the old text
    const edited = await handlers['decide/run']({ description: `${DESCRIPTION} Nightly.`, answers: {}, environment: 'production' });
    assert.ok(edited.decision.tests.every((t) => t.source !== 'suggested'));
    assert.equal(fake.state.requests.length, 1);
  });

  /** Runs the interactive flow on DESCRIPTION (the editor selection) pressing Enter at every step. */
  async function enterThroughFlow(): Promise<Decision | undefined> {
    const doc = await vscode.workspace.openTextDocument({ content: DESCRIPTION });
    const editor = await vscode.window.showTextDocument(doc);
    editor.selection = new vscode.Selection(0, 0, 0, DESCRIPTION.length);
    let done = false;
    const run = Promise.resolve(open(undefined)).finally(() => (done = true));
    // Enter on whatever quick input is showing (description box, then each test) until the flow ends
    await waitFor(
      'the QuickPick flow to finish',
      async () => {
        if (!done) await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
        return done;
      },
      30_000,
    );
    const d = await run;
    // close the untitled description (focused first: the decide panel took the focus)
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    return d;
  }

  test('setting off, QuickPick flow: nothing is sent and Enter keeps the offline answers', async () => {
    const decide = await decideApi();
    await setEnabled(false);
    fake.reply('json', GOOD);
    const before = decide.languageModelCalls;
    const d = await enterThroughFlow();
    assert.ok(d, 'the flow ended with a decision');
    assert.equal(fake.state.requests.length, 0);
    assert.deepEqual(decide.languageModelCalls, before);
    assert.equal(d.tests[0]!.source, 'inferred');
    assert.ok(d.tests.every((t) => t.source !== 'suggested'));
  });

  test('setting on, QuickPick flow: the model is asked after the description and Enter keeps its answers as suggested', async () => {
    const decide = await decideApi();
    await setEnabled(true);
    fake.reply('json', GOOD);
    const d = await enterThroughFlow();
    assert.ok(d, 'the flow ended with a decision');
    assert.equal(fake.state.requests.length, 1);
    assert.deepEqual(d.tests.map((t) => t.source), ['suggested', 'suggested', 'suggested', 'suggested']);
    assert.equal(decide.panelState?.languageModel?.model, 'NATS Flow test model');
  });

  test('malformed or partial output is ignored per test with a note; the offline classifier answers those', async () => {
    const decide = await decideApi();
    await setEnabled(true);
    fake.reply('json', 'Sure! It is definitely a stream.');
    let d = await open({ description: DESCRIPTION });
    assert.ok(d);
    assert.ok(d.tests.every((t) => t.source === 'inferred'), 'all offline');
    assert.match(decide.panelState?.languageModel?.notes.join('\n') ?? '', /did not answer with a JSON object/);

    fake.reply('json', JSON.stringify({ restart: { answer: 'no', reason: 'must not repeat' }, fanout: { answer: 'everyone', reason: 'x' } }));
    d = await open({ description: DESCRIPTION });
    assert.ok(d);
    assert.deepEqual(d.tests.map((t) => t.source), ['suggested', 'inferred', 'inferred', 'inferred']);
    const notes = decide.panelState?.languageModel?.notes.join('\n') ?? '';
    assert.match(notes, /fanout: the language model answered "everyone", not one of all\|one\|unsure/);
    assert.match(notes, /processing: the language model gave no answer/);
    assert.deepEqual(decide.webviewErrors, []);
  });

  test('the model throws: the offline classifier answers, with a one-line note', async () => {
    const decide = await decideApi();
    await setEnabled(true);
    fake.reply('throw');
    const d = await open({ description: DESCRIPTION });
    assert.ok(d);
    assert.ok(d.tests.every((t) => t.source === 'inferred'));
    const notes = decide.panelState?.languageModel?.notes ?? [];
    assert.equal(notes.length, 1);
    assert.match(notes[0]!, /^The language model \(NATS Flow test model\) failed \(.*out of service.*\): the offline classifier answered\.$/);
  });

  test('the model hangs: the flow falls back within the timeout and cancels the request', async () => {
    const decide = await decideApi();
    await setEnabled(true);
    await lmConfig().update('timeoutSeconds', 2, vscode.ConfigurationTarget.Global);
    fake.reply('hang');
    const started = Date.now();
    const d = await open({ description: DESCRIPTION });
    const took = Date.now() - started;
    assert.ok(d);
    assert.ok(took >= 1_900 && took < 15_000, `fell back after ${took} ms (timeout 2 s)`);
    assert.ok(d.tests.every((t) => t.source === 'inferred'));
    assert.match(decide.panelState?.languageModel?.notes[0] ?? '', /did not answer within 2 s: the offline classifier answered/);
    await waitFor('the hanging request to be cancelled', () => fake.state.requests[0]?.cancelled, 10_000);
    await lmConfig().update('timeoutSeconds', undefined, vscode.ConfigurationTarget.Global);
  });
});
