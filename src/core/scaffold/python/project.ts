/** Python scaffolds: nats-py, asyncio, mypy-strict clean. */
import type { ScaffoldFile, ScaffoldSpec } from '../spec';
import { pyConsumer } from './consumers';
import { pyKvWatcher, pyPublisher, pyResponder } from './others';

export { PY_VERSIONS } from './common';

export function pyProject(spec: ScaffoldSpec): ScaffoldFile[] {
  switch (spec.pattern) {
    case 'worker':
      return pyConsumer(spec, true);
    case 'listener':
      return pyConsumer(spec, false);
    case 'kv-watcher':
      return pyKvWatcher(spec);
    case 'publisher':
      return pyPublisher(spec);
    case 'responder':
      return pyResponder(spec);
  }
}
