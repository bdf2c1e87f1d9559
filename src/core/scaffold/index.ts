/** Public face of the scaffold generators: text in, files out (no vscode, no network). */
import { resolveSpec, type ScaffoldFile, type ScaffoldOptions, type ScaffoldSpec } from './spec';
import { tsListener, tsWorker } from './ts/consumers';
import { tsKvWatcher, tsPublisher, tsResponder } from './ts/others';
import { goProject } from './go/project';
import { pyProject } from './python/project';
import { projectReadme } from './readme';

export { resolveSpec, advisorySubject, PATTERNS, LANGS, PATTERN_LABELS, LANG_LABELS, ScaffoldInputError } from './spec';
export type { ScaffoldPattern, ScaffoldLang, ScaffoldSpec, ScaffoldFile, ScaffoldOptions, ScaffoldStream, ScaffoldConsumer, ScaffoldBucket } from './spec';
export { endOfBootstrapCheck, tsLiveCheck, liveFlagDeclaration, indentLines, type BootstrapLang } from './bootstrap';
export { TS_VERSIONS } from './ts/common';
export { GO_VERSIONS } from './go/project';
export { PY_VERSIONS } from './python/project';

/** The file the user fills in, per language (the rest is NATS wiring). */
export function handlerPath(spec: Pick<ScaffoldSpec, 'lang'>): string {
  return spec.lang === 'ts' ? 'src/handler.ts' : spec.lang === 'go' ? 'handler/handler.go' : 'handler.py';
}

export function generate(spec: ScaffoldSpec): ScaffoldFile[] {
  return [...generateCode(spec), { path: 'README.md', content: projectReadme(spec, handlerPath(spec)) }];
}

function generateCode(spec: ScaffoldSpec): ScaffoldFile[] {
  if (spec.lang === 'go') return goProject(spec);
  if (spec.lang === 'python') return pyProject(spec);
  switch (spec.pattern) {
    case 'worker':
      return tsWorker(spec);
    case 'listener':
      return tsListener(spec);
    case 'kv-watcher':
      return tsKvWatcher(spec);
    case 'publisher':
      return tsPublisher(spec);
    case 'responder':
      return tsResponder(spec);
  }
}

/** Resolve the settings and generate a buildable project. */
export function scaffold(options: ScaffoldOptions): { spec: ScaffoldSpec; files: ScaffoldFile[] } {
  const spec = resolveSpec(options);
  return { spec, files: generate(spec) };
}
