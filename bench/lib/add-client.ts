/**
 * The bench's HTTP client, in a process of its own (performance.md §4.3: a keep-alive client on the same machine):
 * the server's latency and memory are measured without the client's work in the same event loop or heap — draining a
 * 25 MB answer through `fetch` costs the client about as much CPU as writing it costs the server.
 *
 * Started by {@link startAddClient}; takes `{ url, key, bodies }` messages, POSTs each body to events/add in turn,
 * drains the answer, and replies with the latencies in ms (or the first failure).
 */
import { fork, type ChildProcess } from 'node:child_process';

interface AddRequest { readonly url: string; readonly key: string; readonly bodies: readonly string[] }
type AddReply = { readonly latencies: number[] } | { readonly error: string };

async function postOne(url: string, key: string, body: string): Promise<number> {
  const t = process.hrtime.bigint();
  const res = await fetch(`${url}/events/add`, {
    method: 'POST',
    headers: { Authorization: key, Accept: 'application/json', 'Content-Type': 'application/json' },
    body,
  });
  if (res.status !== 200) throw new Error(`events/add answered HTTP ${res.status}: ${(await res.text()).slice(0, 300)}`);
  if (res.body) for await (const _chunk of res.body) { /* drain without keeping */ }
  return Number(process.hrtime.bigint() - t) / 1e6;
}

export interface AddClient {
  /** POSTs the bodies one after the other; resolves with each latency in ms. */
  add(url: string, key: string, bodies: readonly string[]): Promise<number[]>;
  close(): void;
}

export function startAddClient(): AddClient {
  const child: ChildProcess = fork(new URL(import.meta.url).pathname, ['--child'], {
    execArgv: ['--import', 'tsx'], serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return {
    add: (url, key, bodies) => new Promise((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`bench client exited (${code})`));
      child.once('exit', onExit);
      child.once('message', (reply: AddReply) => {
        child.off('exit', onExit);
        if ('error' in reply) reject(new Error(reply.error));
        else resolve(reply.latencies);
      });
      child.send({ url, key, bodies } satisfies AddRequest);
    }),
    close: () => { child.kill(); },
  };
}

if (process.argv.includes('--child')) {
  process.on('message', (req: AddRequest) => {
    void (async () => {
      try {
        const latencies: number[] = [];
        for (const body of req.bodies) latencies.push(await postOne(req.url, req.key, body));
        process.send!({ latencies } satisfies AddReply);
      } catch (e) {
        process.send!({ error: e instanceof Error ? e.message : String(e) } satisfies AddReply);
      }
    })();
  });
}
