/**
 * Reading a secret for `vib3 login`: from a terminal with a prompt and no echo, or the first line
 * of piped stdin.
 */
import { CliError } from './errors.js';

/** Reads all of a non-terminal stdin and returns its first line, trimmed. */
export async function readStdinLine(stdin: NodeJS.ReadStream = process.stdin): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string));
  return (Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '').trim();
}

/** Prompts on stderr and reads one line from a terminal without echoing it. */
export function promptSecret(question: string, stdin: NodeJS.ReadStream = process.stdin, out: NodeJS.WriteStream = process.stderr): Promise<string> {
  return new Promise((resolve, reject) => {
    out.write(question);
    let value = '';
    const wasRaw = stdin.isRaw;
    stdin.setRawMode?.(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    const done = (err?: Error) => {
      stdin.removeListener('data', onData);
      stdin.setRawMode?.(wasRaw);
      stdin.pause();
      out.write('\n');
      if (err) reject(err);
      else resolve(value.trim());
    };
    const onData = (data: string) => {
      for (const ch of data) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') return done();
        if (ch === '\u0003') return done(new CliError('cancelled.', 1, 'CANCELLED', 'Run vib3 login again when you have the token.'));
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else if (ch >= ' ') value += ch;
      }
    };
    stdin.on('data', onData);
  });
}

/** The token for `vib3 login`: prompted for on a terminal, else read from stdin. */
export async function readToken(registry: string): Promise<string> {
  const token = process.stdin.isTTY ? await promptSecret(`API token for ${registry}: `) : await readStdinLine();
  if (!token) throw new CliError('no token given.', 2, 'MISSING_TOKEN', 'Pass --token <token>, pipe it on stdin (echo "$TOKEN" | vib3 login --registry URL), or type it at the prompt.');
  return token;
}
