/**
 * Where the code lenses of a `*.natsflow.json` go, and what "Scaffold" over each path
 * generates: the path's planned consumer (worker or listener), KV bucket, or stream.
 * Positions are character offsets into the text (found with jsonc-parser, so they follow
 * the file as written).
 */
import { findNodeAtLocation, parseTree, type Node } from 'jsonc-parser/lib/esm/main.js'; // the ESM build, as in validate.ts
import { planDesign } from './plan';
import { loadDesign } from './validate';

/** What `natsFlow.scaffold.create` is opened with for a path. */
export interface PathScaffold {
  pattern?: 'worker' | 'listener' | 'kv-watcher' | 'publisher' | 'responder';
  stream?: string;
  consumer?: string;
  subject?: string;
  bucket?: string;
}

export interface DesignLensTargets {
  /** The design object (the top of the file). */
  design: { offset: number; length: number };
  paths: { id: string; offset: number; length: number; scaffold: PathScaffold }[];
}

/** Undefined when the text is not a valid design (its diagnostics say why). */
export function designLensTargets(text: string): DesignLensTargets | undefined {
  const loaded = loadDesign(text);
  const tree = parseTree(text);
  if (!loaded.ok || !tree) return undefined;
  const plan = planDesign(loaded.design);
  const paths: DesignLensTargets['paths'] = [];
  loaded.design.paths.forEach((p, i) => {
    const node: Node | undefined = findNodeAtLocation(tree, ['paths', i]);
    if (!node) return;
    const consumer = plan.consumers.find((c) => c.path === p.id);
    const bucket = plan.buckets.find((b) => b.paths.includes(p.id));
    const stream = plan.streams.find((s) => s.role === 'context' && s.paths.includes(p.id));
    const scaffold: PathScaffold = consumer
      ? { pattern: consumer.role, stream: consumer.stream, consumer: consumer.config.durable_name, subject: p.subject }
      : bucket
        ? { pattern: 'kv-watcher', bucket: bucket.config.bucket }
        : stream
          ? { pattern: 'publisher', stream: stream.config.name, subject: p.subject }
          : { subject: p.subject };
    paths.push({ id: p.id, offset: node.offset, length: node.length, scaffold });
  });
  return { design: { offset: tree.offset, length: 1 }, paths };
}
