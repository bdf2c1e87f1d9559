import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { Parser } from '@asyncapi/parser';
import { loadDesign, planDesign, exportDesign, designFromAsyncApi, AsyncApiImportError, formatDesign, type FlowDesign } from '../../src/core/design';

/** `docker compose` (v2 plugin) or `docker-compose` (v1), whichever answers. */
function composeCommand(): string[] | undefined {
  for (const c of [['docker', 'compose'], ['docker-compose']]) {
    if (spawnSync(c[0]!, [...c.slice(1), 'version'], { stdio: 'ignore' }).status === 0) return c;
  }
  return undefined;
}
const composeSkipReason = () => (composeCommand() ? false : 'neither docker compose nor docker-compose is installed');

function example(name: string): FlowDesign {
  const r = loadDesign(readFileSync(join(__dirname, '../../examples', `${name}.natsflow.json`), 'utf8'));
  assert.ok(r.ok);
  return r.design;
}
const one = (format: Parameters<typeof exportDesign>[0], d: FlowDesign) => exportDesign(format, d).files[0]!.content;

describe('NACK export', () => {
  test('Go durations, integer sizes, storage/ackPolicy/ackWait always written', () => {
    const docs = parseAllDocuments(one('nack', example('overmind'))).map((d) => d.toJS());
    const routing = docs.find((d) => d.kind === 'Stream' && d.spec.name === 'routing-decisions');
    assert.equal(routing.apiVersion, 'jetstream.nats.io/v1beta2');
    assert.equal(routing.spec.maxAge, '168h');
    assert.equal(routing.spec.maxBytes, 1024 ** 3);
    assert.equal(routing.spec.storage, 'file');
    assert.equal(routing.spec.duplicateWindow, '2m');
    assert.equal(docs.find((d) => d.spec.name === 'memory-events').spec.maxAge, '720h');
    for (const c of docs.filter((d) => d.kind === 'Consumer')) {
      assert.equal(typeof c.spec.ackPolicy, 'string');
      assert.match(c.spec.ackWait, /^\d+[hms]/);
      assert.ok(!/\dd/.test(JSON.stringify(c.spec)), 'no day units');
    }
    const kv = parseAllDocuments(one('nack', example('codeforge'))).map((d) => d.toJS()).find((d) => d.kind === 'KeyValue');
    assert.deepEqual(kv.spec, { bucket: 'agent-sessions', description: 'Agent sessions: lightweight ephemeral state (seed 003)', history: 5, ttl: '24h', storage: 'file', replicas: 1 });
    assert.match(kv.metadata.name, /^[a-z0-9-]+$/);
  });
});

describe('docker-compose export', () => {
  test('a JetStream server with a health check and a volume, and a setup job running the natscli export', () => {
    const r = exportDesign('compose', example('codeforge'));
    const compose = parse(r.files.find((f) => f.path === 'docker-compose.yml')!.content);
    const nats = compose.services.nats;
    assert.match(nats.image, /^nats:/);
    assert.deepEqual(nats.command.slice(0, 3), ['--jetstream', '--store_dir', '/data']);
    assert.ok(nats.command.includes('-m'), 'monitoring on, which the health check needs');
    assert.ok(nats.ports.includes('4222:4222') && nats.ports.includes('8222:8222'));
    assert.ok(nats.volumes.some((v: string) => v.endsWith(':/data')));
    assert.ok(compose.volumes['nats-data'] !== undefined);
    assert.match(nats.healthcheck.test.join(' '), /8222\/healthz/);
    const setup = compose.services['nats-setup'];
    assert.equal(setup.depends_on.nats.condition, 'service_healthy');
    assert.equal(setup.environment.NATS_URL, 'nats://nats:4222');
    assert.deepEqual(setup.command, ['sh', '/setup/setup.sh']);
    assert.ok(setup.volumes.includes('./natscli:/setup:ro'));
    const script = r.files.find((f) => f.path === 'natscli/setup.sh')!.content;
    assert.match(script, /stream add TASKS --config streams\/TASKS\.json/);
    assert.ok(r.files.some((f) => f.path === 'natscli/streams/TASKS.json'));
  });

  test('YAML 1.1 readers (docker-compose 1.x, go-yaml v2) read the same values: "no" stays a string', () => {
    const text = exportDesign('compose', example('codeforge')).files[0]!.content;
    assert.equal(parse(text, { version: '1.1' }).services['nats-setup'].restart, 'no');
  });

  test('docker compose config accepts it (when docker compose or docker-compose is installed)', { skip: composeSkipReason() }, () => {
    const dir = mkdtempSync(join(tmpdir(), 'nats-flow-compose-'));
    try {
      for (const f of exportDesign('compose', example('overmind')).files) {
        mkdirSync(dirname(join(dir, f.path)), { recursive: true });
        writeFileSync(join(dir, f.path), f.content);
      }
      const [cmd, ...args] = composeCommand()!;
      const r = spawnSync(cmd!, [...args, '-f', join(dir, 'docker-compose.yml'), 'config'], { encoding: 'utf8', timeout: 60_000 });
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /nats-setup/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a production design is capped to R1 (one server) and says so', () => {
    const r = exportDesign('compose', example('overmind'));
    const stream = JSON.parse(r.files.find((f) => f.path === 'natscli/streams/routing-decisions.json')!.content);
    assert.equal(stream.num_replicas, 1);
    assert.deepEqual(r.notes, ['replicas capped at 1: docker-compose runs a single server']);
  });
});

describe('Markdown + Mermaid export', () => {
  test('a flowchart of components, streams and consumers, and a table of paths', () => {
    const md = one('mermaid', example('overmind'));
    assert.match(md, /```mermaid\nflowchart LR\n/);
    assert.match(md, /c_bridge\["Bridge"\]/);
    assert.match(md, /s_routing_decisions\[\("stream routing-decisions"\)\]/);
    assert.match(md, /s_routing_decisions -->\|"api-consumer \(listener\)"\| c_api_server/);
    assert.match(md, /\| memory-events \| Memory API → Temporal Worker \| `memory\.>` \| JetStream Stream \| decided by the restart test \|/);
  });

  test('user text cannot break out of a Mermaid label', () => {
    const d = example('codeforge');
    d.components[0]!.name = 'Core "x"]-->y[<b>';
    assert.match(one('mermaid', d), /c_go_core\["Core #quot;x#quot;\]--#gt;y\[#lt;b#gt;"\]/);
  });
});

describe('AsyncAPI 3.0 export', () => {
  for (const name of ['overmind', 'codeforge']) {
    test(`${name}: @asyncapi/parser finds no error; channels are subjects, queues are bindings, JetStream objects are under x-nats-jetstream`, async () => {
      const text = one('asyncapi', example(name));
      const { document, diagnostics } = await new Parser().parse(text);
      assert.deepEqual(diagnostics.filter((x) => x.severity === 0).map((x) => x.message), []);
      assert.ok(document);
      const doc = parse(text);
      assert.equal(doc.servers.nats.protocol, 'nats');
      const d = example(name);
      for (const p of d.paths) assert.equal(doc.channels[p.id].address, p.subject);
      assert.equal(doc['x-nats-jetstream'].streams.length, planDesign(d).streams.length);
      for (const op of Object.values(doc.operations) as any[]) {
        if (op.bindings) assert.deepEqual(Object.keys(op.bindings.nats).sort(), ['bindingVersion', 'queue']);
      }
    });
  }

  test('a round trip through AsyncAPI keeps every path, and plans the same', () => {
    for (const name of ['overmind', 'codeforge']) {
      const d = example(name);
      d.objectStores = [{ bucket: 'files', ttl: '7d' }];
      const back = designFromAsyncApi(one('asyncapi', d)).design;
      const r = loadDesign(formatDesign(back));
      assert.ok(r.ok, JSON.stringify(!r.ok && r.problems));
      assert.deepEqual(back.paths.map((p) => [p.id, p.from, p.to, p.subject, p.answers, p.override]), d.paths.map((p) => [p.id, p.from, p.to, p.subject, p.answers, p.override]));
      assert.deepEqual(back.paths.map((p) => p.schema), d.paths.map((p) => p.schema));
      const strip = (pl: ReturnType<typeof planDesign>) => ({ streams: pl.streams.map((s) => s.config), consumers: pl.consumers.map((c) => c.config), buckets: pl.buckets.map((b) => b.config), objectStores: pl.objectStores.map((o) => o.config) });
      assert.deepEqual(strip(planDesign(back)), strip(planDesign(d)));
    }
  });

  test('a foreign AsyncAPI document: answers from the pre-classifier, marked guessed; queue bindings kept', () => {
    const foreign = `
asyncapi: 3.0.0
info: { title: Billing, version: 1.0.0 }
servers: { prod: { host: 'nats:4222', protocol: nats } }
channels:
  chargeCard:
    address: billing.card.{orderId}
    description: Only one worker should charge the card for each order; charging twice would be wrong
    messages: { charge: { payload: { type: object, properties: { orderId: { type: string } } } } }
operations:
  receiveCharge:
    action: receive
    channel: { $ref: '#/channels/chargeCard' }
    bindings: { nats: { queue: chargers, bindingVersion: 0.1.0 } }
`;
    const { design } = designFromAsyncApi(foreign);
    const p = design.paths[0]!;
    assert.equal(p.subject, 'billing.card.*');
    assert.deepEqual(p.to, ['billing']);
    assert.equal(p.queueGroup, 'chargers');
    assert.ok(p.guessed?.includes('answers') && p.guessed.includes('from'));
    assert.equal(p.answers.restart, 'no');
    assert.equal(p.answers.fanout, 'one');
    assert.deepEqual(p.schema, { type: 'object', properties: { orderId: { type: 'string' } } });
    assert.ok(loadDesign(formatDesign(design)).ok);
  });

  test('AsyncAPI 2.x and non-AsyncAPI input are refused with what to do', () => {
    assert.throws(() => designFromAsyncApi('asyncapi: 2.6.0\ninfo: {title: x, version: 1}\n'), (e: unknown) => e instanceof AsyncApiImportError && /only 3\.x.*asyncapi convert/.test((e as Error).message));
    assert.throws(() => designFromAsyncApi('{"openapi": "3.0.0"}'), /not an AsyncAPI document/);
  });
});
