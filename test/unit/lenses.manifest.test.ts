import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RULES } from '../../src/core/lenses';

const pkg = JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8'));

test('every lens diagnostic rule has an on/off setting (default on), and every such setting is a rule', () => {
  const props = pkg.contributes.configuration.properties as Record<string, { type: string; default: unknown }>;
  const settings = Object.keys(props).filter((k) => k.startsWith('natsFlow.diagnostics.') && k !== 'natsFlow.diagnostics.enabled');
  assert.deepEqual(settings.map((k) => k.slice('natsFlow.diagnostics.'.length)).sort(), RULES.map((r) => r.id).sort());
  for (const k of settings) assert.deepEqual([props[k].type, props[k].default], ['boolean', true], k);
});

test('the read-only catalog tools and the design lint tool are contributed with an input schema, next to nats-flow_decide', () => {
  const tools = (pkg.contributes.languageModelTools as { name: string; inputSchema: { properties: object } }[]).map((t) => t.name);
  assert.deepEqual(tools, ['nats-flow_decide', 'nats-flow_listStreams', 'nats-flow_streamInfo', 'nats-flow_consumerInfo', 'nats-flow_kvGet', 'nats-flow_lintDesign']);
});

test('rule severities: wildcard publishes and invalid subjects are errors, server names information', () => {
  const sev = Object.fromEntries(RULES.map((r) => [r.id, r.severity]));
  assert.equal(sev['publish-wildcard'], 'error');
  assert.equal(sev['invalid-subject'], 'error');
  assert.equal(sev['unknown-consumer'], 'information');
  assert.equal(sev['unknown-bucket'], 'information');
});
