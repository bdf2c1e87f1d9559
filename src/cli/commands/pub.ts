import { wholeNumberFlag } from '../args';
import { jetstream } from '@nats-io/jetstream';
import { UsageError, type CliCommand, type CliIO } from '../command';
import { CliFailure, connectFromFlags, connectionOptions, connectionUsage, type ConnectionFlagValues } from '../connectionFlags';
import { jetStreamOptions } from '../../nats/profile';
import { clock, parseDataArgs, parseHeaderFlags, readData, subjectAndData, renderBody } from './pubFlags';

const usage = `Usage: nats-flow pub SUBJECT [DATA|-] [--header K:V]... [--count N] [--jetstream] [flags]

Publishes a message (as natscli "nats pub"). DATA "-" reads standard input; DATA that
starts with a dash goes after "--" (nats-flow pub SUBJECT -- -5).
With --count, {{Count}} in DATA becomes the message number (1…N).

  -H, --header K:V     add a header (repeatable)
      --count N        publish N messages (default 1)
      --reply SUBJ     reply subject
  -J, --jetstream      publish to JetStream and wait for the stream's acknowledgement
  -q, --quiet          print nothing on success

${connectionUsage}
`;

export const pubCommand: CliCommand = {
  name: 'pub',
  summary: 'Publish a message (core or JetStream)',
  usage,
  async run(argv: string[], io: CliIO): Promise<number> {
    const { values, positionals } = parseDataArgs('pub', argv, {
      ...connectionOptions,
      header: { type: 'string', short: 'H', multiple: true },
      count: { type: 'string' },
      reply: { type: 'string' },
      jetstream: { type: 'boolean', short: 'J' },
      quiet: { type: 'boolean', short: 'q' },
    });
    const { subject, raw } = subjectAndData(positionals, 'pub');
    const count = wholeNumberFlag('--count', values.count) ?? 1;
    if (values.reply && values.jetstream) throw new UsageError('--reply does not go with --jetstream');
    const headers = parseHeaderFlags(values.header);
    const data = readData(raw);

    const { nc, profile } = await connectFromFlags(values as ConnectionFlagValues, io);
    try {
      const js = values.jetstream ? jetstream(nc, jetStreamOptions(profile)) : undefined;
      for (let i = 1; i <= count; i++) {
        const body = renderBody(data, i, raw);
        if (js) {
          let ack;
          try {
            ack = await js.publish(subject, body, headers ? { headers } : {});
          } catch (err) {
            const text = err instanceof Error ? err.message : String(err);
            // nats.js reports a publish nobody acknowledges (503) as "jetstream is not enabled"
            throw new CliFailure(
              /no responders|503|jetstream is not enabled/i.test(text)
                ? `no stream captures "${subject}": nothing acknowledged the publish (no stream with that subject, or JetStream is off)`
                : `JetStream publish to "${subject}" failed: ${text}`,
            );
          }
          if (!values.quiet) io.out(`${clock()} Published ${body.length} bytes to "${subject}": stream ${ack.stream} sequence ${ack.seq}${ack.duplicate ? ' (duplicate)' : ''}\n`);
        } else {
          nc.publish(subject, body, { ...(headers ? { headers } : {}), ...(values.reply ? { reply: values.reply } : {}) });
          if (!values.quiet) io.out(`${clock()} Published ${body.length} bytes to "${subject}"\n`);
        }
      }
      await nc.flush();
      return 0;
    } finally {
      await nc.close().catch(() => undefined);
    }
  },
};
