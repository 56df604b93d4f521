import OpenAI from 'openai';

/** Turns texts into vectors (the optional semantic half of the ranking). */
export interface EmbeddingsPort {
  /** The model's name: part of the index hash, so changing it re-embeds the base. */
  readonly model: string;
  embed(texts: readonly string[], signal?: AbortSignal): Promise<number[][]>;
}

/** The embeddings endpoint refused or failed. `code` is stable. */
export class EmbeddingsError extends Error {
  constructor(
    readonly code: 'EMBEDDINGS_UNAVAILABLE' | 'EMBEDDINGS_REFUSED' | 'EMBEDDINGS_MALFORMED',
    readonly status: number | null,
    detail: string,
  ) {
    super(`embeddings request failed (${code}${status ? ` ${status}` : ''}): ${detail}`);
    this.name = 'EmbeddingsError';
  }
}

/** Texts per request when indexing. */
const BATCH = 64;

/**
 * Embeddings through the OpenAI-compatible `POST /embeddings` endpoint (OpenAI, Ollama, vLLM…)
 * with the openai SDK; its own retries only (`maxRetries`), none added here. Off unless
 * OPENAI_EMBEDDINGS_MODEL is set.
 */
export class OpenAiEmbeddings implements EmbeddingsPort {
  private constructor(
    private readonly client: OpenAI,
    readonly model: string,
  ) {}

  /** Same connection settings as the chat model (OPENAI_BASE_URL, key, timeout, retries). */
  static create(options: { apiKey: string; baseURL: string; model: string; timeoutMs: number; maxRetries: number }): OpenAiEmbeddings {
    return new OpenAiEmbeddings(new OpenAI({ apiKey: options.apiKey, baseURL: options.baseURL, timeout: options.timeoutMs, maxRetries: options.maxRetries }), options.model);
  }

  async embed(texts: readonly string[], signal?: AbortSignal): Promise<number[][]> {
    const vectors: number[][] = [];
    for (let i = 0; i < texts.length; i += BATCH) {
      const batch = texts.slice(i, i + BATCH);
      let response: OpenAI.Embeddings.CreateEmbeddingResponse;
      try {
        response = await this.client.embeddings.create({ model: this.model, input: [...batch], encoding_format: 'float' }, { signal });
      } catch (error) {
        if (error instanceof OpenAI.APIError && error.status !== undefined) {
          throw new EmbeddingsError(error.status >= 500 || error.status === 429 ? 'EMBEDDINGS_UNAVAILABLE' : 'EMBEDDINGS_REFUSED', error.status, error.message.slice(0, 200));
        }
        throw new EmbeddingsError('EMBEDDINGS_UNAVAILABLE', null, error instanceof Error ? error.message.slice(0, 200) : 'unknown error');
      }
      const sorted = [...response.data].sort((a, b) => a.index - b.index);
      if (sorted.length !== batch.length) throw new EmbeddingsError('EMBEDDINGS_MALFORMED', null, `asked for ${batch.length} vectors, got ${sorted.length}`);
      vectors.push(...sorted.map((d) => d.embedding));
    }
    return vectors;
  }
}

/** Cosine similarity of two vectors (0 when either is all zeros or their lengths differ). */
export function cosine(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length || a.length === 0) return 0;
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i += 1) {
    const x = a[i] as number;
    const y = b[i] as number;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}
