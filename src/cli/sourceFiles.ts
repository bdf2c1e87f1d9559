/**
 * The source files `nats-flow check` reads: the files given, and under each folder every file
 * the recognisers read that .gitignore (at each level, as git applies them) does not exclude.
 * `.git` and `node_modules` are always skipped.
 */
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { languageOfFile } from '../core/lenses/languages';

interface Rules {
  base: string;
  ig: Ignore;
}

function rulesIn(dir: string): Rules | undefined {
  const f = join(dir, '.gitignore');
  if (!existsSync(f)) return undefined;
  return { base: dir, ig: ignore().add(readFileSync(f, 'utf8')) };
}

function ignored(path: string, isDir: boolean, stack: Rules[]): boolean {
  return stack.some((r) => {
    const rel = relative(r.base, path).split(sep).join('/');
    return rel !== '' && !rel.startsWith('..') && r.ig.ignores(isDir ? `${rel}/` : rel);
  });
}

/** Parent folders' .gitignore files up to the repository root (the folder with .git). */
function parentRules(dir: string): Rules[] {
  const out: Rules[] = [];
  for (let d = resolve(dir); ; ) {
    const up = resolve(d, '..');
    if (existsSync(join(d, '.git')) || up === d) break;
    d = up;
    const r = rulesIn(d);
    if (r) out.unshift(r);
  }
  return out;
}

export function sourceFiles(paths: string[]): { files: string[]; missing: string[] } {
  const files: string[] = [];
  const missing: string[] = [];
  const walk = (dir: string, stack: Rules[]) => {
    const own = rulesIn(dir);
    const here = own ? [...stack, own] : stack;
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (e.name === '.git' || e.name === 'node_modules') continue;
      const p = join(dir, e.name);
      if (e.isDirectory()) {
        if (!ignored(p, true, here)) walk(p, here);
      } else if (e.isFile() && languageOfFile(e.name) && !ignored(p, false, here)) files.push(p);
    }
  };
  for (const p of paths) {
    let st;
    try {
      st = statSync(p);
    } catch {
      missing.push(p);
      continue;
    }
    if (st.isDirectory()) walk(resolve(p), parentRules(p));
    else files.push(resolve(p));
  }
  return { files, missing };
}
