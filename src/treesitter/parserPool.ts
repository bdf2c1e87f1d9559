/**
 * tree-sitter parsers (Node: reads the wasm files) for the languages the recognisers in
 * src/core/lenses read, loaded lazily: the runtime on
 * the first parse of any language, each grammar on the first parse of that language. Nothing
 * here runs at extension activation.
 *
 * The wasm files: `web-tree-sitter.wasm` (the runtime, from web-tree-sitter) and
 * `tree-sitter-<lang>.wasm` (grammars, from @vscode/tree-sitter-wasm). The build copies them to
 * `dist/wasm/`; from sources (tests, bench) they are read from node_modules.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Parser as TsParser, Language as TsLanguage, Tree } from 'web-tree-sitter';
import { GRAMMAR_FILES, RUNTIME_WASM } from '../core/lenses/languages';
import type { SourceLanguage } from '../core/lenses/types';

/** Where the wasm files are: a bundle's `wasm/` folder beside it, else node_modules. */
export interface WasmLocation {
  runtime: string;
  grammar(lang: SourceLanguage): string;
}

export function defaultWasmLocation(from: string = __dirname): WasmLocation {
  const bundled = join(from, 'wasm');
  if (existsSync(join(bundled, RUNTIME_WASM))) return { runtime: join(bundled, RUNTIME_WASM), grammar: (l) => join(bundled, GRAMMAR_FILES[l]) };
  for (let dir = from; ; dir = dirname(dir)) {
    const nm = join(dir, 'node_modules');
    if (existsSync(join(nm, '@vscode/tree-sitter-wasm/wasm'))) {
      return { runtime: join(nm, 'web-tree-sitter', RUNTIME_WASM), grammar: (l) => join(nm, '@vscode/tree-sitter-wasm/wasm', GRAMMAR_FILES[l]) };
    }
    if (dirname(dir) === dir) break;
  }
  throw new Error(`tree-sitter wasm files not found beside ${from} (expected ${bundled}/${RUNTIME_WASM}); rebuild with "npm run build"`);
}

type TreeSitterModule = typeof import('web-tree-sitter');

/**
 * One parser per language, made on first use. `loadTimes` records how long each first load
 * took (runtime + grammar), for the benchmark.
 */
export class ParserPool {
  private runtime?: Promise<TreeSitterModule>;
  private readonly parsers = new Map<SourceLanguage, Promise<TsParser>>();
  readonly loadTimes = new Map<SourceLanguage, number>();

  constructor(private readonly location: WasmLocation = defaultWasmLocation()) {}

  private loadRuntime(): Promise<TreeSitterModule> {
    this.runtime ??= (async () => {
      // require, not import(): bundlers then take the CommonJS build, which finds its wasm through
      // locateFile (the ESM build reads import.meta.url, which a CommonJS bundle does not have).
      // Inside this function, so the module is still evaluated on the first parse only.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const ts = require('web-tree-sitter') as TreeSitterModule;
      await ts.Parser.init({ locateFile: () => this.location.runtime });
      return ts;
    })();
    return this.runtime;
  }

  parser(lang: SourceLanguage): Promise<TsParser> {
    let p = this.parsers.get(lang);
    if (!p) {
      p = (async () => {
        const started = performance.now();
        const ts = await this.loadRuntime();
        const language: TsLanguage = await ts.Language.load(this.location.grammar(lang));
        const parser = new ts.Parser();
        parser.setLanguage(language);
        this.loadTimes.set(lang, performance.now() - started);
        return parser;
      })();
      p.catch(() => this.parsers.delete(lang));
      this.parsers.set(lang, p);
    }
    return p;
  }

  /** Whether the grammar for `lang` is already loaded (a parse will not pay the first-load cost). */
  isWarm(lang: SourceLanguage): boolean {
    return this.loadTimes.has(lang);
  }

  async parse(lang: SourceLanguage, text: string): Promise<Tree> {
    const tree = (await this.parser(lang)).parse(text);
    if (!tree) throw new Error(`tree-sitter could not parse the ${lang} text`);
    return tree;
  }
}
