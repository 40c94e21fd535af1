/**
 * The bench's HTTP client (node:http, keep-alive), in a process of its own (performance.md §4.3: a keep-alive client on the same machine):
 * the server's latency and memory are measured without the client's work in the same event loop or heap — draining
 * a 25 MB answer through `fetch` costs the client about as much CPU as writing it costs the server, and a 600 MB
 * export drained in-process counted the client's buffers as the server's memory.
 *
 * Started by {@link startClientProcess}; takes `{ url, key, path, bodies }` messages, POSTs each body to the path in
 * turn, drains the answer without keeping it, and replies with one {@link Answer} per body (or the first failure).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { Agent, request } from 'node:http';

interface PostRequest { readonly url: string; readonly key: string; readonly path: string; readonly bodies: readonly string[] }

export interface Answer {
  readonly status: number;
  /** From sending the request to the last byte of the answer. */
  readonly ms: number;
  readonly bytes: number;
  /** `X-Result-Count`, when the answer has one. */
  readonly resultCount: number | undefined;
  /** The start of a non-200 answer, for the error message. */
  readonly errorText?: string;
}

type Reply = { readonly answers: Answer[] } | { readonly error: string };

const agent = new Agent({ keepAlive: true, maxSockets: 1 });

/**
 * One POST through node:http with a keep-alive agent, draining the answer as raw chunks: undici's `fetch` drains a
 * 25 MB answer through web streams at a fraction of the speed the server writes it, and that time is the client's.
 */
function postOne(req: PostRequest, body: string): Promise<Answer> {
  const t = process.hrtime.bigint();
  const ms = () => Number(process.hrtime.bigint() - t) / 1e6;
  const url = new URL(`${req.url}/${req.path}`);
  return new Promise((resolve, reject) => {
    const r = request(url, {
      method: 'POST', agent,
      headers: { Authorization: req.key, Accept: 'application/json', 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
    }, (res) => {
      const status = res.statusCode ?? 0;
      const count = res.headers['x-result-count'];
      let bytes = 0;
      let errorText = '';
      res.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        if (status !== 200 && errorText.length < 300) errorText += chunk.toString('utf8', 0, 300);
      });
      res.on('end', () => resolve({
        status, ms: ms(), bytes, resultCount: typeof count === 'string' ? Number(count) : undefined,
        ...(status !== 200 ? { errorText: errorText.slice(0, 300) } : {}),
      }));
      res.on('error', reject);
    });
    r.on('error', reject);
    r.end(body);
  });
}

export interface ClientProcess {
  /** POSTs the bodies to `path` one after the other; resolves with each answer's status, latency and size. */
  post(url: string, key: string, path: string, bodies: readonly string[]): Promise<Answer[]>;
  close(): void;
}

export function startClientProcess(): ClientProcess {
  const child: ChildProcess = fork(new URL(import.meta.url).pathname, ['--child'], {
    execArgv: ['--import', 'tsx'], serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return {
    post: (url, key, path, bodies) => new Promise((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`bench client exited (${code})`));
      child.once('exit', onExit);
      child.once('message', (reply: Reply) => {
        child.off('exit', onExit);
        if ('error' in reply) reject(new Error(reply.error));
        else resolve(reply.answers);
      });
      child.send({ url, key, path, bodies } satisfies PostRequest);
    }),
    close: () => { child.kill(); },
  };
}

if (process.argv.includes('--child')) {
  process.on('message', (req: PostRequest) => {
    void (async () => {
      try {
        const answers: Answer[] = [];
        for (const body of req.bodies) answers.push(await postOne(req, body));
        process.send!({ answers } satisfies Reply);
      } catch (e) {
        process.send!({ error: e instanceof Error ? e.message : String(e) } satisfies Reply);
      }
    })();
  });
}
