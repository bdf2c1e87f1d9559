/** `nats-flow export FILE --format natscli|nack|compose|mermaid|asyncapi [--out DIR|FILE]`. */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseCliArgs } from '../args';
import { UsageError, type CliCommand } from '../command';
import { exportDesign, EXPORT_FORMATS, SINGLE_FILE_FORMATS, type ExportFormat } from '../../core/design';
import { parseEnv, readDesign, usageErrors } from './designFile';

const usage = `Usage: nats-flow export FILE --format FORMAT [--out DIR|FILE] [--env development|production]

Writes a flow design for other tools:
  natscli    setup.sh + one --config JSON per stream and consumer (nats stream/consumer add), kv add flags   (--out DIR)
  nack       Kubernetes JetStream controller resources (jetstream.nats.io/v1beta2) in YAML
  compose    docker-compose.yml: a JetStream server and a setup job running the natscli export      (--out DIR)
  mermaid    Markdown with a Mermaid diagram and the planned objects
  asyncapi   AsyncAPI 3.0 with the JetStream objects under x-nats-jetstream

  -f, --format FORMAT   one of ${EXPORT_FORMATS.join(', ')}
  -o, --out PATH        a folder for natscli/compose; a file (default stdout) for the others
  --env ENV             development (R1) or production (R3); default: the design's environment
  --server HOST:PORT    the server AsyncAPI names (default localhost:4222)
`;

export const exportCommand: CliCommand = {
  name: 'export',
  summary: 'Export a flow design as natscli, NACK, docker-compose, Mermaid or AsyncAPI files',
  usage,
  async run(argv, io) {
    const { values, positionals } = usageErrors(() =>
      parseCliArgs({ args: argv, allowPositionals: true, strict: true, options: { format: { type: 'string', short: 'f' }, out: { type: 'string', short: 'o' }, env: { type: 'string' }, server: { type: 'string' } } }),
    );
    const format = values.format as ExportFormat | undefined;
    if (!format || !EXPORT_FORMATS.includes(format)) throw new UsageError(`--format must be one of ${EXPORT_FORMATS.join(', ')}${format ? ` (got "${format}")` : ''}`);
    const design = readDesign(positionals[0]);
    const env = parseEnv(values.env);
    const result = exportDesign(format, design, { ...(env ? { environment: env } : {}), ...(values.server ? { server: values.server } : {}) });
    const single = SINGLE_FILE_FORMATS.includes(format);
    if (!values.out) {
      if (!single) throw new UsageError(`--format ${format} writes several files: give --out DIR`);
      io.out(result.files[0]!.content);
    } else if (single) {
      writeFileSync(values.out, result.files[0]!.content);
      io.err(`wrote ${values.out}\n`);
    } else {
      for (const f of result.files) {
        const target = join(values.out, f.path);
        mkdirSync(dirname(target), { recursive: true });
        writeFileSync(target, f.content);
        if (f.executable) chmodSync(target, 0o755);
      }
      io.err(`wrote ${result.files.length} files under ${values.out}\n`);
    }
    for (const n of result.notes) io.err(`note: ${n}\n`);
    return 0;
  },
};
