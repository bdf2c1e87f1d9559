/**
 * The scaffold generators' inputs and outputs without running anything: settings come from
 * the source (a Decide result, explicit names, a live config), bad input names what is wrong,
 * every pattern × language has its project files and a handler file apart from the wiring.
 * (test/integration/scaffold-*.test.ts build and run the generated code.)
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { decide, type StreamSuggestion, type KvSuggestion } from '../../src/core/decide';
import { generate, handlerPath, LANGS, PATTERNS, resolveSpec, scaffold, ScaffoldInputError } from '../../src/core/scaffold';

describe('scaffold spec', () => {
  test('a Decide stream result gives the stream, consumer, backoff and DLQ names to the worker', () => {
    const d = decide({ description: 'an order is placed: exactly one worker charges the card; charging twice would be wrong', environment: 'development' });
    assert.equal(d.primitive, 'stream');
    const st = d.config as StreamSuggestion;
    const { spec, files } = scaffold({ pattern: 'worker', lang: 'go', suggestion: st });
    assert.equal(spec.stream.name, st.stream.name);
    assert.equal(spec.consumer.durable_name, st.consumer.durable_name);
    assert.deepEqual(spec.consumer.backoff, st.consumer.backoff);
    assert.equal(spec.consumer.max_deliver, st.consumer.max_deliver);
    assert.equal(spec.subject, st.subject);
    const topology = files.find((f) => f.path === 'topology.go')!.content;
    assert.ok(topology.includes(`"$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.${st.stream.name}.${st.consumer.durable_name}"`), 'DLQ captures this consumer\'s advisory');
    assert.ok(topology.includes(`maxDeliver    = ${st.consumer.max_deliver}`));
  });

  test('a Decide KV result gives the bucket, history and key pattern to the watcher', () => {
    const d = decide({ description: 'the current status of each sensor; every dashboard shows the latest value', answers: { restart: 'yes', fanout: 'all' } });
    assert.equal(d.primitive, 'kv');
    const kv = d.config as KvSuggestion;
    const spec = resolveSpec({ pattern: 'kv-watcher', lang: 'ts', suggestion: kv });
    assert.equal(spec.bucket.bucket, kv.bucket.bucket);
    assert.equal(spec.bucket.history, kv.bucket.history);
    assert.equal(spec.keyPattern, kv.watcher.key_pattern);
  });

  test('explicit names and live configs win over defaults', () => {
    const spec = resolveSpec({ pattern: 'listener', lang: 'python', stream: 'EVENTS', consumer: 'audit', streamConfig: { subjects: ['events.*.created'], replicas: 3 } });
    assert.equal(spec.stream.replicas, 3);
    assert.equal(spec.subject, 'events.example.created', 'a publishable subject from the stream pattern');
    assert.equal(spec.consumer.durable_name, 'audit');
  });

  test('bad input is refused naming what is wrong', () => {
    assert.throws(() => resolveSpec({ pattern: 'worker', lang: 'ts', stream: 'MY STREAM' }), (e: Error) => e instanceof ScaffoldInputError && /stream "MY STREAM"/.test(e.message));
    assert.throws(() => resolveSpec({ pattern: 'worker', lang: 'ts', subject: 'orders..created' }), /subject "orders\.\.created"/);
    assert.throws(() => resolveSpec({ pattern: 'kv-watcher', lang: 'go', bucket: 'a.b' }), /bucket "a\.b"/);
    assert.throws(() => resolveSpec({ pattern: 'worker', lang: 'go', consumerConfig: { max_deliver: 2, backoff: [1, 2, 3] } }), /max_deliver \(2\) must be greater/);
    assert.throws(() => resolveSpec({ pattern: 'nope' as never, lang: 'go' }), /unknown pattern "nope"/);
  });

  test('every pattern × language has pinned project files, a README and a handler apart from the wiring', () => {
    for (const lang of LANGS) {
      for (const pattern of PATTERNS) {
        const spec = resolveSpec({ pattern, lang });
        const files = generate(spec);
        const paths = files.map((f) => f.path);
        const manifest = { ts: 'package.json', go: 'go.mod', python: 'requirements.txt' }[lang];
        assert.ok(paths.includes(manifest), `${lang}/${pattern} has ${manifest}`);
        assert.ok(paths.includes('README.md'));
        assert.ok(paths.includes(handlerPath(spec)), `${lang}/${pattern} has ${handlerPath(spec)}`);
        assert.equal(new Set(paths).size, paths.length, 'no file written twice');
        const manifestText = files.find((f) => f.path === manifest)!.content;
        assert.match(manifestText, { ts: /"@nats-io\/jetstream": "3\.4\.0"/, go: /github\.com\/nats-io\/nats\.go v1\.51\.0/, python: /^nats-py==2\.16\.0$/m }[lang]);
        const wiring = files.filter((f) => f.path !== handlerPath(spec)).map((f) => f.content).join('\n');
        assert.match(wiring, /NATS_CREDS/, 'connection from the environment');
        assert.match(wiring, /SIGTERM/, 'graceful shutdown');
      }
    }
  });
});
