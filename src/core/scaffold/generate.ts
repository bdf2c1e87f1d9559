/** Spec → files: the per-language generators and the project README. */
import type { ScaffoldFile, ScaffoldSpec } from './spec';
import { tsListener, tsWorker } from './ts/consumers';
import { tsKvWatcher, tsPublisher, tsResponder } from './ts/others';
import { goProject } from './go/project';
import { pyProject } from './python/project';
import { projectReadme } from './readme';

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
