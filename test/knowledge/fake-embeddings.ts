import type { Server } from 'node:http';
import { closeServer, listenLocal, readBody, sendJson } from '../fakes/http-server';

/**
 * A tiny OpenAI-compatible `POST /v1/embeddings` server for the knowledge tests: each text
 * becomes a bag-of-concepts vector (one dimension per concept, 1 when the text has any of the
 * concept's words), so "similar" is predictable. It records every request.
 */
export class FakeEmbeddings {
  readonly requests: Array<{ model: string; input: string[] }> = [];
  failWith: number | null = null;

  private constructor(
    private readonly server: Server,
    readonly baseURL: string,
    private readonly concepts: string[][],
  ) {}

  static async start(concepts: string[][]): Promise<FakeEmbeddings> {
    let fake: FakeEmbeddings | undefined;
    const { server, port } = await listenLocal(async (req, res) => {
      const body = JSON.parse((await readBody(req)).toString('utf8')) as { model: string; input: string | string[] };
      const input = Array.isArray(body.input) ? body.input : [body.input];
      (fake as FakeEmbeddings).requests.push({ model: body.model, input });
      if ((fake as FakeEmbeddings).failWith !== null) {
        sendJson(res, (fake as FakeEmbeddings).failWith as number, { error: { message: 'failing on purpose', type: 'server_error', param: null, code: null } });
        return;
      }
      sendJson(res, 200, {
        object: 'list',
        model: body.model,
        data: input.map((text, index) => ({ object: 'embedding', index, embedding: (fake as FakeEmbeddings).vector(text) })),
        usage: { prompt_tokens: 1, total_tokens: 1 },
      });
    });
    fake = new FakeEmbeddings(server, `http://127.0.0.1:${port}/v1`, concepts);
    return fake;
  }

  vector(text: string): number[] {
    const lower = text.toLowerCase();
    return [0.01, ...this.concepts.map((words) => (words.some((w) => lower.includes(w)) ? 1 : 0))];
  }

  close(): Promise<void> {
    return closeServer(this.server);
  }
}
