/**
 * A file cut into top-level chunks, the unit the recognisers reuse between edits: each
 * declaration (function, class, method, import) is a chunk with the comments right before it,
 * and a run of other top-level statements is one chunk, so script code keeps a watch and the
 * loop over it together. A keystroke changes the text of one chunk; the others keep theirs.
 */
import type { Node } from 'web-tree-sitter';
import type { ChunkSpan } from './recognise';
import type { SourceLanguage } from './types';

const JS_DECLARATIONS = [
  'function_declaration',
  'generator_function_declaration',
  'class_declaration',
  'abstract_class_declaration',
  'interface_declaration',
  'type_alias_declaration',
  'enum_declaration',
  'import_statement',
  'module',
  'internal_module',
  'ambient_declaration',
];
const PY_DECLARATIONS = ['function_definition', 'class_definition', 'decorated_definition', 'import_statement', 'import_from_statement', 'future_import_statement'];

const DECLARATIONS: Record<SourceLanguage, Set<string> | 'all'> = {
  typescript: new Set(JS_DECLARATIONS),
  tsx: new Set(JS_DECLARATIONS),
  javascript: new Set(JS_DECLARATIONS),
  // a Go file has only declarations at the top
  go: 'all',
  python: new Set(PY_DECLARATIONS),
};

export interface Chunk extends ChunkSpan {
  startCol: number;
  endCol: number;
  /** Its text. */
  text: string;
  /**
   * What else its results depend on of its own: node types and the text before it on its first
   * line (fixes look at indentation). Equal text and shape, equal results up to a move.
   */
  shape: string;
}

function standalone(n: Node, lang: SourceLanguage): boolean {
  const d = DECLARATIONS[lang];
  if (d === 'all') return n.type !== 'comment';
  if (d.has(n.type)) return true;
  if (n.type === 'export_statement') {
    const decl = n.childForFieldName('declaration');
    return !decl || d.has(decl.type);
  }
  return false;
}

/** @param topLevel the file's top-level nodes (the root's named children) */
export function chunksOf(topLevel: readonly (Node | null)[], lang: SourceLanguage, text: string): Chunk[] {
  const groups: Node[][] = [];
  let comments: Node[] = [];
  /** The statement run still open, which the next statement (and comments before it) joins. */
  let run: Node[] | undefined;
  for (const n of topLevel) {
    if (!n) continue;
    if (n.type === 'comment') {
      comments.push(n);
      continue;
    }
    if (standalone(n, lang)) {
      groups.push([...comments, n]);
      run = undefined;
    } else if (run) {
      run.push(...comments, n);
    } else {
      run = [...comments, n];
      groups.push(run);
    }
    comments = [];
  }
  if (comments.length) groups.push(comments);
  return groups.map((nodes) => {
    const first = nodes[0];
    const last = nodes[nodes.length - 1];
    const startIndex = first.startIndex;
    const endIndex = last.endIndex;
    const start = first.startPosition;
    const end = last.endPosition;
    const lineStart = text.lastIndexOf('\n', startIndex - 1) + 1;
    return {
      nodes,
      startIndex,
      endIndex,
      startRow: start.row,
      startCol: start.column,
      endRow: end.row,
      endCol: end.column,
      text: text.slice(startIndex, endIndex),
      shape: `${nodes.length === 1 ? nodes[0].type : nodes.map((x) => x.type).join(',')}\u0000${text.slice(lineStart, startIndex)}`,
    };
  });
}
