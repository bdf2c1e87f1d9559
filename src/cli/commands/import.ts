/** `nats-flow import (--server URL | --asyncapi FILE) [--out FILE] [--name NAME]`: a design from a live server or an AsyncAPI document. */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseCliArgs } from '../args';
import { UsageError, type CliCommand } from '../command';
import { connectFromFlags, connectionOptions, connectionUsage, CliFailure, type ConnectionFlagValues } from '../connectionFlags';
import { designFromAsyncApi, formatDesign, AsyncApiImportError, type ImportResult } from '../../core/design';
import { Admin } from '../../nats/admin';
import { jetStreamOptions } from '../../nats/profile';
import { importDesign } from '../../nats/designImport';
import { usageErrors } from './designFile';

const usage = `Usage: nats-flow import (--server URL | --asyncapi FILE) [--out FILE] [--name NAME] [connection flags]

Builds a flow design (*.natsflow.json) from what a server holds (streams, consumers, KV
buckets) or from an AsyncAPI 3 document (heuristic answers inferred from the descriptions).
Best effort: components and answers that were guessed are marked "guessed".

  --asyncapi FILE   read an AsyncAPI 3.x document (YAML or JSON) instead of a server
  -o, --out FILE    write the design there (default: stdout)
  --name NAME       the design's name (default: "imported", or the AsyncAPI title)

${connectionUsage}
`;

export const importCommand: CliCommand = {
  name: 'import',
  summary: 'Build a flow design from a live server or an AsyncAPI document',
  usage,
  async run(argv, io) {
    const { values, positionals } = usageErrors(() =>
      parseCliArgs({ args: argv, allowPositionals: true, strict: true, options: { ...connectionOptions, asyncapi: { type: 'string' }, out: { type: 'string', short: 'o' }, name: { type: 'string' } } }),
    );
    if (positionals.length) throw new UsageError(`unexpected arguments: ${positionals.join(' ')}`);
    let result: ImportResult;
    if (values.asyncapi !== undefined) {
      if (values.server !== undefined) throw new UsageError('give --server or --asyncapi, not both');
      let text: string;
      try {
        text = readFileSync(values.asyncapi, 'utf8');
      } catch (err) {
        throw new CliFailure(`${values.asyncapi}: cannot read it (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
      }
      try {
        result = designFromAsyncApi(text);
      } catch (err) {
        if (err instanceof AsyncApiImportError) throw new CliFailure(`${values.asyncapi}: ${err.message}`);
        throw err;
      }
      if (values.name) result.design.name = values.name;
    } else {
      const { nc, profile } = await connectFromFlags(values as ConnectionFlagValues, io);
      try {
        result = await importDesign(new Admin(nc, jetStreamOptions(profile)), { name: values.name ?? 'imported' });
      } finally {
        await nc.close().catch(() => undefined);
      }
    }
    const text = formatDesign(result.design);
    for (const n of result.notes) io.err(`note: ${n}\n`);
    if (values.out) {
      writeFileSync(values.out, text);
      io.err(`wrote ${values.out}: ${result.design.components.length} components, ${result.design.paths.length} paths\n`);
    } else io.out(text);
    return 0;
  },
};
