import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { loadDesign, designJsonSchema, formatProblems } from '../../src/core/design';

const root = join(__dirname, '../..');
const overmindText = readFileSync(join(root, 'examples/overmind.natsflow.json'), 'utf8');
const shipped = JSON.parse(readFileSync(join(root, 'media/schemas/natsflow.json'), 'utf8'));

describe('loading *.natsflow.json', () => {
  test('a JSON syntax error names its line and column', () => {
    const text = '{\n  "version": 1,\n  "name": "x"\n  "environment": "production"\n}\n';
    const r = loadDesign(text);
    assert.equal(r.ok, false);
    assert.equal(r.problems[0]!.line, 4);
    assert.match(r.problems[0]!.message, /JSON syntax: CommaExpected/);
  });

  test('a schema violation names the field as a JSON pointer, with its line', () => {
    const bad = overmindText.replace('"ack_wait": "120s"', '"ack_wait": "two minutes"').replace('"fanout": "one"', '"fanout": "some"');
    const r = loadDesign(bad);
    assert.equal(r.ok, false);
    const lines = bad.split('\n');
    const ack = r.problems.find((p) => p.pointer === '/overrides/consumers/memory-events~1temporal-worker/ack_wait');
    assert.ok(ack, JSON.stringify(r.problems));
    assert.match(ack.message, /duration/);
    assert.match(lines[ack.line! - 1]!, /two minutes/);
    const fan = r.problems.find((p) => p.pointer === '/paths/1/answers/fanout');
    assert.ok(fan);
    assert.match(fan.message, /all, one, unsure.*"some"/);
    assert.match(lines[fan.line! - 1]!, /"fanout": "some"/);
    assert.match(formatProblems('overmind.natsflow.json', r.problems), /^overmind\.natsflow\.json:\d+:\d+: \/paths\/1\/answers\/fanout: /m);
  });

  test('a bad queue group or dead-letter plan is named with its pointer and line', () => {
    const d = JSON.parse(overmindText);
    d.paths[0].queueGroup = 'billing workers';
    d.paths[1].deadLetter = { mode: 'external' };
    const text = JSON.stringify(d, null, 2);
    const r = loadDesign(text);
    assert.equal(r.ok, false);
    const q = r.problems.find((p) => p.pointer === '/paths/0/queueGroup');
    assert.match(q?.message ?? '', /queue group "billing workers" contains whitespace at position 8/);
    assert.match(text.split('\n')[q!.line! - 1]!, /"queueGroup"/);
    assert.match(r.problems.find((p) => p.pointer === '/paths/1/deadLetter')?.message ?? '', /needs a "reason"/);
    d.paths[0].queueGroup = 'billing';
    delete d.paths[1].deadLetter;
    assert.equal(loadDesign(JSON.stringify(d)).ok, true);
  });

  test('references are checked: unknown components, receivers, consumer override keys, unknown fields', () => {
    const d = JSON.parse(overmindText);
    d.paths[0].to.push('nobody');
    d.paths[1].from = 'ghost';
    d.overrides.consumers['llm-requests/api-server'] = { max_deliver: 2 };
    d.overrides.streams.llm.max_delivery = 3;
    d.components.push({ ...d.components[0] });
    d.objectStores = [{ bucket: 'files', ttl: 'forever', components: ['nobody'] }];
    const r = loadDesign(JSON.stringify(d, null, 2));
    assert.equal(r.ok, false);
    const by = Object.fromEntries(r.problems.map((p) => [p.pointer, p.message]));
    assert.match(by['/paths/0/to/2']!, /no component has id "nobody"/);
    assert.match(by['/paths/1/from']!, /no component has id "ghost"/);
    assert.match(by['/overrides/consumers/llm-requests~1api-server']!, /"api-server" is not a receiver of path "llm-requests"/);
    assert.match(by['/overrides/streams/llm/max_delivery']!, /unknown stream field "max_delivery"/);
    assert.match(by['/components/7/id']!, /duplicate component id "bridge"/);
    assert.match(by['/objectStores/0/ttl']!, /ttl must be a duration/);
    assert.match(by['/objectStores/0/components/0']!, /no component has id "nobody"/);
  });

  test('an empty file and a non-object are refused', () => {
    assert.equal(loadDesign('').ok, false);
    const r = loadDesign('[]');
    assert.equal(r.ok, false);
    assert.match(r.problems[0]!.message, /a design is a JSON object/);
  });
});

describe('the shipped JSON Schema (media/schemas/natsflow.json)', () => {
  test('is up to date with the loader catalogues', () => {
    assert.deepEqual(shipped, designJsonSchema(), 'run: node --import tsx scripts/design-schema.ts');
  });

  test('accepts both examples and refuses what the loader refuses (checked by ajv)', () => {
    const ajv = new Ajv({ allErrors: true, strict: false });
    const validate = ajv.compile(shipped);
    for (const name of ['overmind', 'codeforge']) {
      const doc = JSON.parse(readFileSync(join(root, 'examples', `${name}.natsflow.json`), 'utf8'));
      assert.ok(validate(doc), `${name}: ${JSON.stringify(validate.errors)}`);
    }
    const broken = [
      (d: any) => (d.paths[0].answers.fanout = 'some'),
      (d: any) => (d.overrides.streams.llm.max_age = '7 days'),
      (d: any) => (d.overrides.streams.llm.max_delivery = 1),
      (d: any) => (d.components[0].kind = 'daemon'),
      (d: any) => delete d.paths[0].subject,
      (d: any) => (d.environment = 'staging'),
    ];
    for (const [i, breakIt] of broken.entries()) {
      const d = JSON.parse(overmindText);
      breakIt(d);
      assert.equal(validate(d), false, `schema accepted broken design #${i}`);
      assert.equal(loadDesign(JSON.stringify(d)).ok, false, `loader accepted broken design #${i}`);
    }
  });

  test('package.json ships it for *.natsflow.json', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    assert.ok(pkg.contributes.jsonValidation.some((j: { fileMatch: string; url: string }) => j.fileMatch === '*.natsflow.json' && j.url === './media/schemas/natsflow.json'));
  });
});
