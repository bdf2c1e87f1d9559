import { UsageError, type CliCommand, type CliIO } from '../command';
import { CliFailure, connectFromFlags, connectionOptions, connectionUsage, parseDurationFlag, type ConnectionFlagValues } from '../connectionFlags';
import { humanLines } from '../../core/tail/ndjson';
import { headerPairs } from '../../nats/tail/orderedPull';
import { clock, parseDataArgs, parseHeaderFlags, readData, subjectAndData } from './pubFlags';

const usage = `Usage: nats-flow req SUBJECT [DATA|-] [--header K:V]... [--timeout D] [flags]

Sends a request and prints the reply (as natscli "nats req"). DATA "-" reads standard input;
DATA that starts with a dash goes after "--" (nats-flow req SUBJECT -- -5).

  -H, --header K:V     add a header (repeatable)
      --timeout D      how long to wait for the reply (and to connect), e.g. 2s (default 5s)
      --raw            print only the reply's payload

${connectionUsage}
`;

export const reqCommand: CliCommand = {
  name: 'req',
  summary: 'Send a request and print the reply',
  usage,
  async run(argv: string[], io: CliIO): Promise<number> {
    const { values, positionals } = parseDataArgs('req', argv, { ...connectionOptions, header: { type: 'string', short: 'H', multiple: true }, raw: { type: 'boolean', short: 'r' } });
    const { subject, raw } = subjectAndData(positionals, 'req');
    const timeout = values.timeout ? parseDurationFlag('--timeout', values.timeout) : 5000;
    const headers = parseHeaderFlags(values.header);
    const data = readData(raw);
    const { nc } = await connectFromFlags(values as ConnectionFlagValues, io);
    try {
      if (!values.raw) io.out(`${clock()} Sending request on "${subject}"\n`);
      const t0 = performance.now();
      let reply;
      try {
        reply = await nc.request(subject, data, { timeout, ...(headers ? { headers } : {}) });
      } catch (err) {
        const text = err instanceof Error ? err.message : String(err);
        if (/no responders|503/i.test(text)) throw new CliFailure(`no responders on "${subject}": nothing is subscribed to answer`);
        if (/timeout/i.test(text)) throw new CliFailure(`no reply on "${subject}" within ${timeout} ms`);
        throw new CliFailure(`request on "${subject}" failed: ${text}`);
      }
      const rtt = performance.now() - t0;
      if (values.raw) {
        io.out(Buffer.from(reply.data).toString('utf8') + '\n');
        return 0;
      }
      io.out(`${clock()} Received with rtt ${rtt.toFixed(2)}ms\n`);
      io.out(humanLines({ kind: 'msg', subject: reply.subject, time: new Date().toISOString(), headers: headerPairs(reply), data: reply.data }).split('\n').slice(1).join('\n') + '\n');
      return 0;
    } finally {
      await nc.close().catch(() => undefined);
    }
  },
};
