/**
 * The pure parts of the decide feature's webview plumbing: message checks, the panel host's
 * queue/dispatch rules (driven through a fake panel), the HTML/CSP shell, the view state the
 * host builds, and the interactive flow's step logic with scripted answers.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DECISION_TESTS, classify, decide, type DecideAnswers } from '../../src/core/decide';
import { TEST_ANSWERS, TEST_ID_LIST, checkRunParams, checkViewState } from '../../src/shared/decideValidate';
import type { DecideProtocol } from '../../src/shared/protocol';
import { attempt, parseEnvelope } from '../../src/shared/validate';
import { PanelHost, type PanelLike } from '../../src/vscode/webview/panelHost';
import { contentSecurityPolicy, renderWebviewHtml } from '../../src/vscode/webview/webviewHtml';
import { buildViewState, decideActions } from '../../src/vscode/decide/viewState';
import { creationPlan } from '../../src/vscode/decide/createPlan';
import { clearVerdict, runDecideFlow, stepFor, stopLabel, type FlowPick, type FlowStep } from '../../src/vscode/decide/flowSteps';
import { checkRendered, emptyParams } from '../../src/shared/decideValidate';

const viewOf = (description: string, answers: DecideAnswers = {}) =>
  buildViewState({ description, answers, environment: 'production' }, decide({ description, answers }));

// ---- checks ------------------------------------------------------------------------------

test('the answer sets the webview checks use are exactly the engine tests and options', () => {
  assert.deepEqual([...TEST_ID_LIST], DECISION_TESTS.map((t) => t.id));
  for (const t of DECISION_TESTS) assert.deepEqual([...TEST_ANSWERS[t.id]], t.options.map((o) => o.answer), t.id);
});

test('every engine decision (kv, stream, undecided, conflict) passes the view-state check unchanged', () => {
  for (const [d, a] of [
    ['Order status changed; all services react and just overwrite.', {}],
    ['Exactly one worker charges the card; charging twice would be wrong.', {}],
    ['', {}],
    ['Entity state changed', { restart: 'yes', processing: 'slow' }],
  ] as [string, DecideAnswers][]) {
    const v = viewOf(d, a);
    assert.deepEqual(checkViewState(v, ''), JSON.parse(JSON.stringify(v)));
  }
});

test('view-state check names the path of the first problem', () => {
  const bad = JSON.parse(JSON.stringify(viewOf('entity state changed')));
  bad.decision.tests[2].verdict = 42;
  assert.deepEqual(attempt(checkViewState, bad), { ok: false, error: 'decision.tests[2].verdict: expected one of kv|stream|null, got number 42' });
  const wrongAnswer = JSON.parse(JSON.stringify(viewOf('entity state changed')));
  wrongAnswer.decision.tests[0].answer = 'all'; // a fanout answer on the restart test
  assert.match((attempt(checkViewState, wrongAnswer) as { error: string }).error, /decision\.tests\[0\]\.answer: "all" is not an answer of the restart test/);
  const icon = JSON.parse(JSON.stringify(viewOf('x')));
  icon.actions[0].icon = 'copy" onclick="x';
  assert.match((attempt(checkViewState, icon) as { error: string }).error, /actions\[0\]\.icon: not a codicon name/);
});

test('run params: unknown test keys, wrong answers and oversized descriptions are refused', () => {
  assert.deepEqual(checkRunParams({ description: 'd', answers: { restart: 'no' }, environment: 'production', extra: 1 }, 'params'), {
    description: 'd',
    answers: { restart: 'no' },
    environment: 'production',
  });
  assert.throws(() => checkRunParams({ description: 'd', answers: { restart: 'all' }, environment: 'production' }, 'params'), /params\.answers\.restart: expected one of yes\|no\|unsure/);
  assert.throws(() => checkRunParams({ description: 'd', answers: { __proto__x: 'yes' }, environment: 'production' }, 'params'), /unknown key/);
  assert.throws(() => checkRunParams({ description: 'x'.repeat(20_001), answers: {}, environment: 'production' }, 'params'), /exceeds 20000/);
});

test('envelope: kinds, namespaced methods and integer ids are required', () => {
  assert.deepEqual(parseEnvelope({ kind: 'request', id: 3, method: 'decide/run', params: 1 }), { kind: 'request', id: 3, method: 'decide/run', params: 1 });
  for (const [raw, why] of [
    [null, /expected an object/],
    ['decide/run', /expected an object/],
    [{ kind: 'rpc', method: 'a/b' }, /kind: expected one of notification\|request\|response/],
    [{ kind: 'notification', method: 'ready' }, /not a namespaced method/],
    [{ kind: 'notification', method: '<img src=x>/b' }, /not a namespaced method/],
    [{ kind: 'request', method: 'a/b', id: 1.5 }, /id: expected a non-negative integer/],
    [{ kind: 'request', method: 'a/b' }, /id: expected a number/],
    [{ kind: 'response', method: 'a/b', id: 1, ok: false, error: { code: 'boom', message: 'x' } }, /error\.code/],
  ] as [unknown, RegExp][]) {
    assert.throws(() => parseEnvelope(raw), why, JSON.stringify(raw));
  }
});

// ---- PanelHost with a fake panel ---------------------------------------------------------

function fakePanel(opts: { retain?: boolean } = {}) {
  const posted: any[] = [];
  const logs: string[] = [];
  let receive: (m: unknown) => unknown = () => undefined;
  let disposeListener: () => unknown = () => undefined;
  let viewListener: (e: { webviewPanel: { visible: boolean } }) => unknown = () => undefined;
  const panel: PanelLike = {
    webview: {
      postMessage: async (m) => {
        posted.push(m);
        return true;
      },
      onDidReceiveMessage: (l) => ((receive = l), { dispose: () => (receive = () => undefined) }),
    },
    visible: true,
    options: { retainContextWhenHidden: opts.retain },
    onDidDispose: (l) => ((disposeListener = l), { dispose() {} }),
    onDidChangeViewState: (l) => ((viewListener = l), { dispose() {} }),
  };
  const log = { info: (m: string) => logs.push(`info ${m}`), warn: (m: string) => logs.push(`warn ${m}`), error: (m: string) => logs.push(`error ${m}`) };
  return {
    panel,
    posted,
    logs,
    send: (m: unknown) => receive(m),
    close: () => disposeListener(),
    hide: () => viewListener({ webviewPanel: { visible: false } }),
    log,
  };
}

const tick = () => new Promise((r) => setImmediate(r));

function decideHost(fake: ReturnType<typeof fakePanel>, run?: (p: unknown) => unknown) {
  const rendered: unknown[] = [];
  const host = new PanelHost<DecideProtocol>({
    name: 'decide',
    panel: fake.panel,
    log: fake.log,
    checks: { requests: { 'decide/run': checkRunParams, 'decide/copyConfig': emptyParams, 'decide/create': emptyParams, 'decide/scaffold': emptyParams }, toHost: { 'decide/rendered': checkRendered } },
    handlers: {
      'decide/run': (p) => (run ? (run(p) as never) : viewOf(p.description, p.answers)),
      'decide/copyConfig': () => ({ copied: true, chars: 3 }),
      'decide/create': () => ({ ok: false, cancelled: true, created: [], message: 'Nothing created.' }),
      'decide/scaffold': () => ({ done: false, message: 'Scaffolding cancelled: nothing was written.' }),
    },
    notifications: { 'decide/rendered': (p) => rendered.push(p) },
  });
  return { host, rendered };
}

test('host queues notifications until webview/ready, keeping only the latest with replace', async () => {
  const fake = fakePanel();
  const { host } = decideHost(fake);
  host.notify('decide/state', viewOf('a'), { replace: true });
  host.notify('decide/state', viewOf('b'), { replace: true });
  await tick();
  assert.equal(fake.posted.length, 0, 'nothing before ready');
  fake.send({ kind: 'notification', method: 'webview/ready', params: {} });
  await tick();
  assert.equal(fake.posted.length, 1);
  assert.equal(fake.posted[0].method, 'decide/state');
  assert.equal(fake.posted[0].params.description, 'b');
  host.notify('decide/state', viewOf('c'));
  await tick();
  assert.equal(fake.posted.length, 2, 'after ready, sent at once');
  // a hidden, non-retained webview loses its document: queue again until it is back
  fake.hide();
  host.notify('decide/state', viewOf('d'), { replace: true });
  await tick();
  assert.equal(fake.posted.length, 2);
  fake.send({ kind: 'notification', method: 'webview/ready', params: {} });
  await tick();
  assert.equal(fake.posted.length, 3);
  assert.equal(host.stats.readyCount, 2);
});

test('each request gets exactly one response: result, invalid params, unknown method, handler failure', async () => {
  const fake = fakePanel();
  let fail = false;
  decideHost(fake, (p) => {
    if (fail) throw new Error('engine broke');
    const q = p as { description: string; answers: DecideAnswers };
    return viewOf(q.description, q.answers);
  });
  fake.send({ kind: 'request', id: 1, method: 'decide/run', params: { description: 'entity state changed', answers: { restart: 'no' }, environment: 'production' } });
  fake.send({ kind: 'request', id: 2, method: 'decide/run', params: { description: 5 } });
  fake.send({ kind: 'request', id: 3, method: 'decide/launchMissiles', params: {} });
  fake.send({ kind: 'request', id: 4, method: 'toString/x', params: {} });
  await tick();
  fail = true;
  fake.send({ kind: 'request', id: 5, method: 'decide/run', params: { description: '', answers: {}, environment: 'development' } });
  await tick();
  const byId = new Map<number, any[]>();
  for (const m of fake.posted) byId.set(m.id, [...(byId.get(m.id) ?? []), m]);
  assert.deepEqual([...byId.keys()].sort(), [1, 2, 3, 4, 5]);
  for (const [id, list] of byId) assert.equal(list.length, 1, `exactly one response for ${id}`);
  const r = (id: number) => byId.get(id)![0];
  assert.equal(r(1).ok, true);
  assert.equal(r(1).result.decision.primitive, 'stream');
  assert.deepEqual([r(2).ok, r(2).error.code], [false, 'invalidParams']);
  assert.match(r(2).error.message, /params\.description: expected a string/);
  assert.deepEqual([r(3).ok, r(3).error.code], [false, 'unknownMethod']);
  assert.deepEqual([r(4).ok, r(4).error.code], [false, 'unknownMethod'], 'no prototype lookups');
  assert.deepEqual([r(5).ok, r(5).error.code, r(5).error.message], [false, 'handlerFailed', 'engine broke']);
});

test('malformed and unknown messages are logged and ignored without throwing', async () => {
  const fake = fakePanel();
  const { host, rendered } = decideHost(fake);
  for (const raw of [undefined, null, 'hi', 7, [], {}, { kind: 'notification' }, { kind: 'notification', method: 'decide/unknown', params: {} },
    { kind: 'notification', method: 'decide/rendered', params: { primitive: 'maybe', tests: 4 } },
    { kind: 'notification', method: 'constructor/x' },
    { kind: 'response', id: 1, method: 'decide/run', ok: true, result: 1 }]) {
    assert.doesNotThrow(() => fake.send(raw));
  }
  fake.send({ kind: 'notification', method: 'decide/rendered', params: { primitive: 'kv', tests: 4 } });
  fake.send({ kind: 'notification', method: 'webview/error', params: { message: 'saw something odd' } });
  await tick();
  assert.equal(fake.posted.length, 0, 'nothing answered');
  assert.deepEqual(rendered, [{ primitive: 'kv', tests: 4 }]);
  assert.equal(host.stats.ignored, 11);
  assert.deepEqual(host.stats.webviewErrors, ['saw something odd']);
  assert.ok(fake.logs.some((l) => l.includes('unknown notification decide/unknown')));
});

test('closing the panel disposes the host; a handler finishing later answers nobody', async () => {
  const fake = fakePanel();
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const { host } = decideHost(fake, async (p) => {
    await gate;
    const q = p as { description: string };
    return viewOf(q.description);
  });
  fake.send({ kind: 'notification', method: 'webview/ready', params: {} });
  fake.send({ kind: 'request', id: 9, method: 'decide/run', params: { description: 'x', answers: {}, environment: 'production' } });
  fake.close();
  assert.equal(host.isDisposed, true);
  release();
  await tick();
  await tick();
  host.notify('decide/state', viewOf('late'));
  assert.equal(fake.posted.length, 0);
  assert.doesNotThrow(() => fake.send({ kind: 'notification', method: 'webview/ready', params: {} }));
});

// ---- HTML shell --------------------------------------------------------------------------

test('webview HTML: default-src none, nonce-only scripts, styles and fonts from cspSource only, no unsafe-inline', () => {
  const csp = contentSecurityPolicy('https://x.vscode-cdn.net', 'abc123');
  assert.match(csp, /^default-src 'none'/);
  assert.match(csp, /script-src 'nonce-abc123'(;|$)/);
  assert.match(csp, /style-src https:\/\/x\.vscode-cdn\.net(;|$)/);
  assert.match(csp, /font-src https:\/\/x\.vscode-cdn\.net(;|$)/);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*/);
  const html = renderWebviewHtml({
    title: 'T"<x>',
    panel: 'decide',
    cspSource: 'https://x.vscode-cdn.net',
    nonce: 'abc123',
    scriptUri: 'https://x.vscode-cdn.net/dist/webview/decide.js',
    codiconUri: 'https://x.vscode-cdn.net/dist/webview/codicons/codicon.css',
    styleUris: ['https://x.vscode-cdn.net/dist/webview/decide.css'],
  });
  assert.equal((html.match(/<script/g) ?? []).length, 1);
  assert.match(html, /<script nonce="abc123" src="https:\/\/x\.vscode-cdn\.net\/dist\/webview\/decide\.js"><\/script>/);
  assert.match(html, /<link rel="stylesheet" id="vscode-codicon-stylesheet" href="[^"]+codicon\.css">/);
  assert.doesNotMatch(html, /<style|style="/);
  assert.match(html, /<title>T&quot;&lt;x&gt;<\/title>/);
});

// ---- view state --------------------------------------------------------------------------

test('view state: config JSON is what the engine suggested, sections are readable, unbuilt actions disabled with a reason', () => {
  const v = viewOf('Exactly one worker charges the card; charging twice would be wrong.');
  assert.equal(v.decision.primitive, 'stream');
  assert.deepEqual(JSON.parse(v.configJson), v.decision.config);
  assert.deepEqual(v.configSections.map((s) => s.title), ['Stream', 'Consumer (pull)', 'Dead letters']);
  const ackWait = v.configSections[1]!.rows.find(([k]) => k === 'ack wait')![1];
  assert.match(ackWait, /^\d+[smh]/, 'durations are formatted, not nanoseconds');
  assert.deepEqual(v.actions.map((a) => [a.id, a.enabled]), [['copyConfig', true], ['createOnServer', false], ['addToDesign', false], ['scaffold', true]]);
  assert.match(v.actions[2]!.tooltip, /^Coming with the Flow designer/);
  assert.match(v.actions[3]!.tooltip, /^Generate code \(TypeScript, Go or Python\) wired to the suggested stream and consumer/);
  const undecidedScaffold = decideActions(viewOf('').decision, { connected: true })[3]!;
  assert.equal(undecidedScaffold.enabled, false, 'nothing to scaffold from while undecided');
  assert.match(undecidedScaffold.tooltip, /^Undecided/);
  // Create on server: disabled with the reason until connected, then names what it creates
  assert.match(v.actions[1]!.tooltip, /^Not connected: connect to a NATS server first/);
  const connected = decideActions(v.decision, { connected: true, name: 'sandbox' })[1]!;
  assert.equal(connected.enabled, true);
  assert.match(connected.tooltip, /^Create stream \S+ and consumer \S+ \(the dead-letter stream \S+_DLQ is optional\) on sandbox/);
  const undecidedCreate = decideActions(viewOf('').decision, { connected: true })[1]!;
  assert.equal(undecidedCreate.enabled, false);
  assert.match(undecidedCreate.tooltip, /^Undecided/);
  const plan = creationPlan(v.decision)!;
  assert.deepEqual(plan.items.map((i) => i.kind), ['stream', 'consumer']);
  assert.deepEqual(plan.optional.map((i) => i.name), [`${plan.items[0]!.name}_DLQ`]);
  assert.equal(plan.items[1]!.stream, plan.items[0]!.name);
  assert.equal(plan.items[0]!.config.num_replicas, 3, 'production: R3');
  const undecided = viewOf('');
  assert.equal(undecided.configJson, '');
  assert.deepEqual(undecided.configSections, []);
});

// ---- the interactive flow ----------------------------------------------------------------

test('each step defaults to the inferred answer, marked "inferred from …", with one explanation per option', () => {
  const description = 'Order status changed; the storefront, the dashboard and the analytics service all react.';
  const step = stepFor(1, classify(description), {});
  assert.equal(step.testId, 'fanout');
  const active = step.items.filter((i) => i.active);
  assert.equal(active.length, 1);
  assert.deepEqual(active[0]!.pick, { kind: 'answer', answer: 'all' });
  assert.match(active[0]!.description ?? '', /^inferred from "/);
  for (const i of step.items) assert.ok(i.detail && !i.detail.includes('\n'), `one-line explanation for ${i.label}`);
  assert.ok(!step.items.some((i) => i.pick.kind === 'stop'), 'no stop offer before a clear answer');
});

test('a step with nothing inferred preselects "Not sure", never a deciding answer', () => {
  for (let i = 0; i < 4; i++) {
    const step = stepFor(i, {}, {});
    const active = step.items.filter((it) => it.active);
    assert.equal(active.length, 1, step.testId);
    assert.deepEqual(active[0]!.pick, { kind: 'answer', answer: 'unsure' }, step.testId);
    assert.equal(active[0]!.label, 'Not sure');
  }
});

test('Enter through every step with an empty description records no verdict', async () => {
  const r = await runDecideFlow({
    askDescription: async () => '',
    // Enter: accept the preselected item
    pick: async (step) => step.items.find((i) => i.active)!.pick,
  });
  assert.ok(r);
  assert.deepEqual(r.confirmed, { restart: 'unsure', fanout: 'unsure', processing: 'unsure', nature: 'unsure' });
  assert.equal(decide({ description: r.description, answers: r.answers }).primitive, 'undecided');
});

test('"Stop here" is offered once a confirmed answer gives a verdict, naming it', () => {
  assert.equal(clearVerdict({ restart: 'unsure' }), null);
  assert.deepEqual(clearVerdict({ restart: 'unsure', fanout: 'one' }), { test: 'fanout', primitive: 'stream' });
  const step = stepFor(2, {}, { restart: 'unsure', fanout: 'one' });
  const stop = step.items.find((i) => i.pick.kind === 'stop');
  assert.equal(stop?.label, "Stop here: it's clear (→ JetStream Stream)");
  assert.equal(stopLabel('kv'), "Stop here: it's clear (→ KV Watch)");
});

function scripted(description: string | undefined, picks: FlowPick[]) {
  const steps: FlowStep[] = [];
  let asked = 0;
  const prompts: string[] = [];
  return {
    steps,
    prompts,
    io: {
      askDescription: async (initial: string) => {
        prompts.push(initial);
        return asked++ === 0 ? description : initial;
      },
      pick: async (step: FlowStep) => {
        steps.push(step);
        return picks.shift();
      },
    },
  };
}

test('flow: scripted answers through all four tests; confirmed inferred answers stay inferred', async () => {
  const description = 'Exactly one worker charges the card; charging twice would be wrong.';
  const s = scripted(description, [
    { kind: 'answer', answer: 'no' },
    { kind: 'answer', answer: 'one' },
    { kind: 'answer', answer: 'slow' },
    { kind: 'answer', answer: 'fact' },
  ]);
  const r = await runDecideFlow(s.io, 'selected text');
  assert.deepEqual(s.prompts, ['selected text'], 'the selection pre-fills the description');
  assert.deepEqual(s.steps.map((x) => x.testId), ['restart', 'fanout', 'processing', 'nature']);
  assert.ok(r);
  assert.deepEqual(r.confirmed, { restart: 'no', fanout: 'one', processing: 'slow', nature: 'fact' });
  // restart "no" and fanout "one" are what the description says: left to the engine as inferred
  assert.equal(r.answers.restart, undefined);
  assert.equal(r.answers.nature, 'fact');
  const d = decide({ description: r.description, answers: r.answers });
  assert.equal(d.primitive, 'stream');
  assert.equal(d.tests[0]!.source, 'inferred');
  assert.equal(d.tests[3]!.source, 'given');
  assert.deepEqual(d.disagree, ['restart', 'nature']);
});

test('flow: Stop here ends early, Back revisits the previous test, Escape cancels', async () => {
  const stop = scripted('', [{ kind: 'answer', answer: 'yes' }, { kind: 'stop' }]);
  const r = await runDecideFlow(stop.io);
  assert.deepEqual(r, { description: '', answers: { restart: 'yes' }, confirmed: { restart: 'yes' }, stoppedAfter: 'restart', suggested: {}, lmNotes: [] });
  assert.equal(stop.steps.length, 2);

  const back = scripted('', [{ kind: 'answer', answer: 'yes' }, { kind: 'back' }, { kind: 'answer', answer: 'no' }, { kind: 'stop' }]);
  const rb = await runDecideFlow(back.io);
  assert.deepEqual(back.steps.map((x) => x.testId), ['restart', 'fanout', 'restart', 'fanout']);
  assert.deepEqual(rb?.answers, { restart: 'no' });

  const backToDescription = scripted('first', [{ kind: 'back' }, { kind: 'answer', answer: 'unsure' }, undefined as unknown as FlowPick]);
  assert.equal(await runDecideFlow(backToDescription.io), undefined, 'Escape on a test cancels');
  assert.deepEqual(backToDescription.prompts, ['', 'first'], 'Back from test 1 returns to the description, keeping it');

  assert.equal(await runDecideFlow(scripted(undefined, []).io), undefined, 'Escape on the description cancels');
});
