/**
 * Scaffolded python code, built with its own toolchain and run against a real nats-server:
 * worker, listener, KV watcher, publisher and request/reply (see test/helpers/scaffoldScenarios.ts).
 */
import { scaffoldSuite } from '../helpers/scaffoldScenarios';

scaffoldSuite('python');
