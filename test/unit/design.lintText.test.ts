import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lintDesignText } from '../../src/core/design';

const example = readFileSync(join(__dirname, '../../examples/overmind.natsflow.json'), 'utf8');

test('lintDesignText: a clean design gives no findings, a flat subject gives subject-flat with its pointer', () => {
  assert.deepEqual(lintDesignText('overmind.natsflow.json', example), { summary: 'overmind.natsflow.json: no findings', report: { file: 'overmind.natsflow.json', valid: true, findings: [] } });
  const d = JSON.parse(example);
  d.paths[0].subject = 'routing';
  const r = lintDesignText('d.natsflow.json', JSON.stringify(d));
  assert.ok(r.report.valid);
  assert.deepEqual(r.report.findings.map((f) => f.rule).sort(), ['subject-flat', 'subject-uncaptured']);
  assert.match(r.summary, /^d\.natsflow\.json: \d+ error\(s\), \d+ warning\(s\), \d+ info\n(.+\n)*\w+ subject-flat at \/paths\/0\/subject: .*flat subject "routing"/);
});

test('lintDesignText: invalid JSON or schema gives the problems with line and column, not a throw', () => {
  const r = lintDesignText('x.natsflow.json', '{"version": 1, "paths": [');
  assert.equal(r.report.valid, false);
  assert.match(r.summary, /^x\.natsflow\.json is not a valid design:\nx\.natsflow\.json:1:26: \(document\): JSON syntax/);
});
