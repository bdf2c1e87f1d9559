import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { parseCliArgs } from '../args';
import { UsageError, type CliCommand, type CliIO } from '../command';
import { connectFromFlags, connectionOptions, connectionUsage, CliFailure, type ConnectionFlagValues } from '../connectionFlags';
import { sourceFiles } from '../sourceFiles';
import { RULES, diagnose, languageOfFile, type CatalogFacts, type Finding, type Recognition } from '../../core/lenses';
import { ParserPool, recogniseText } from '../../treesitter';

const usage = `Usage: nats-flow check [PATH...] [--server URL] [--json] [--disable RULE,...]

Finds the NATS calls in TypeScript, JavaScript, Go and Python sources (nats.js v2/v3, nats.go
and its jetstream package, nats-py) and checks them. Folders are read recursively, respecting
.gitignore (and skipping .git and node_modules). Without PATH: the current folder.

Without a server only the checks that need none run. With connection flags (--server,
--context, …) it also checks the code against that server: streams capturing JetStream
publishes, consumers and buckets that exist.

Rules:
${RULES.map((r) => `  ${r.id.padEnd(22)} ${r.severity.padEnd(11)} ${r.needsServer ? '(server) ' : ''}${r.description}`).join('\n')}

Output: file:line:col: severity rule-id message (as compilers print). --json prints every file
with its recognised calls (kind, names, ranges) and findings (ranges, fixes).
Exit codes: 0 no error finding, 1 an error finding (or a failure), 2 bad usage.

Flags:
  -j, --json            JSON output
      --disable RULES   comma-separated rule ids to skip

${connectionUsage}
`;

const wantsServer = (v: Record<string, unknown>) => Object.keys(connectionOptions).some((k) => k !== 'timeout' && v[k] !== undefined);

export const checkCommand: CliCommand = {
  name: 'check',
  summary: 'Check the NATS calls in source files (lint for CI), optionally against a server',
  usage,
  async run(argv: string[], io: CliIO): Promise<number> {
    const { values, positionals } = parseCliArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: { ...connectionOptions, json: { type: 'boolean', short: 'j' }, disable: { type: 'string' } },
    });
    const disabled = new Set((values.disable ?? '').split(',').map((s) => s.trim()).filter(Boolean));
    const unknownRule = [...disabled].find((r) => !RULES.some((x) => x.id === r));
    if (unknownRule) throw new UsageError(`--disable: unknown rule "${unknownRule}"; rules are ${RULES.map((r) => r.id).join(', ')}`);
    const { files, missing } = sourceFiles(positionals.length ? positionals : ['.']);
    if (missing.length) throw new UsageError(`no such file or folder: ${missing.join(', ')}`);

    const pool = new ParserPool();
    const cwd = process.cwd();
    const results: { file: string; rec: Recognition; findings: Finding[]; text: string }[] = [];
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      const rec = await recogniseText(pool, languageOfFile(file)!, text);
      results.push({ file: relative(cwd, file) || file, rec, findings: [], text });
    }

    let catalog: CatalogFacts | undefined;
    if (wantsServer(values)) {
      const { nc, profile } = await connectFromFlags(values as ConnectionFlagValues, io);
      try {
        const { Catalog, jetStreamOptions, loadCatalogFacts, AdminError } = await import('../../nats/index');
        const streams = results.flatMap((r) => r.rec.calls.map((c) => c.stream?.text).filter((s): s is string => !!s));
        try {
          catalog = await loadCatalogFacts(new Catalog(nc, jetStreamOptions(profile)), { consumersOf: streams, server: nc.info?.server_name ?? profile.servers[0] });
        } catch (err) {
          if (err instanceof AdminError) throw new CliFailure(`${err.message}${err.hint ? `\n  hint: ${err.hint}` : ''}`);
          throw err;
        }
      } finally {
        await nc.close().catch(() => undefined);
      }
    }

    for (const r of results) {
      r.findings = diagnose(r.rec, { text: r.text, catalog, disabled });
    }
    const all = results.flatMap((r) => r.findings.map((f) => ({ file: r.file, f })));
    const count = (s: string) => all.filter((x) => x.f.severity === s).length;
    if (values.json) {
      io.out(
        JSON.stringify(
          {
            server: catalog ? (catalog.server ?? true) : null,
            files: results.map(({ file, rec, findings }) => ({ file, language: rec.language, syntaxErrors: rec.syntaxErrors, calls: rec.calls, findings })),
            summary: { files: results.length, calls: results.reduce((n, r) => n + r.rec.calls.length, 0), errors: count('error'), warnings: count('warning'), information: count('information') },
          },
          null,
          2,
        ) + '\n',
      );
    } else {
      for (const { file, f } of all) io.out(`${file}:${f.range.start.line + 1}:${f.range.start.col + 1}: ${f.severity} ${f.rule} ${f.message}\n`);
      const calls = results.reduce((n, r) => n + r.rec.calls.length, 0);
      io.err(`${results.length} file${results.length === 1 ? '' : 's'}, ${calls} NATS call${calls === 1 ? '' : 's'}: ${count('error')} error(s), ${count('warning')} warning(s), ${count('information')} information${catalog ? '' : ' (no server: server checks skipped)'}\n`);
    }
    return count('error') > 0 ? 1 : 0;
  },
};
