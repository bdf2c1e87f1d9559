/** Go scaffolds: nats.go and its jetstream package, one module per project. */
import type { ScaffoldFile, ScaffoldSpec } from '../spec';
import { goConsumer } from './consumers';
import { goKvWatcher, goPublisher, goResponder } from './others';

export { GO_VERSIONS } from './common';

export function goProject(spec: ScaffoldSpec): ScaffoldFile[] {
  switch (spec.pattern) {
    case 'worker':
      return goConsumer(spec, true);
    case 'listener':
      return goConsumer(spec, false);
    case 'kv-watcher':
      return goKvWatcher(spec);
    case 'publisher':
      return goPublisher(spec);
    case 'responder':
      return goResponder(spec);
  }
}
