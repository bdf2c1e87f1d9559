/** Public face of the scaffold generators: text in, files out (no vscode, no network). */
import { resolveSpec, type ScaffoldFile, type ScaffoldOptions, type ScaffoldSpec } from './spec';
import { generate } from './generate';

export { resolveSpec, advisorySubject, PATTERNS, LANGS, PATTERN_LABELS, LANG_LABELS, ScaffoldInputError } from './spec';
export type { ScaffoldPattern, ScaffoldLang, ScaffoldSpec, ScaffoldFile, ScaffoldOptions, ScaffoldStream, ScaffoldConsumer, ScaffoldBucket } from './spec';
export { endOfBootstrapCheck, tsLiveCheck, liveFlagDeclaration, indentLines, type BootstrapLang } from './bootstrap';
export { generate, handlerPath } from './generate';
export { scaffoldDesign, designScaffoldReadme, designScaffoldFiles } from './fromDesign';
export type { DesignScaffold, DesignScaffoldUnit } from './fromDesign';
export { TS_VERSIONS } from './ts/common';
export { GO_VERSIONS } from './go/project';
export { PY_VERSIONS } from './python/project';

/** Resolve the settings and generate a buildable project. */
export function scaffold(options: ScaffoldOptions): { spec: ScaffoldSpec; files: ScaffoldFile[] } {
  const spec = resolveSpec(options);
  return { spec, files: generate(spec) };
}
