// SearchClient over @opensearch-project/opensearch (OpenSearch 2.x servers).
import { Client } from '@opensearch-project/opensearch';
import { BaseSearchClient, type EngineRequest, type EngineResponse } from './searchClient.ts';

export interface ClientOptions {
  requestTimeoutMs?: number;
  maxRetries?: number;
}

export class OpenSearchClient extends BaseSearchClient {
  readonly engine = 'opensearch' as const;
  private readonly client: Client;

  constructor(url: string, options: ClientOptions = {}) {
    super();
    this.client = new Client({
      node: url,
      requestTimeout: options.requestTimeoutMs ?? 30_000,
      maxRetries: options.maxRetries ?? 3,
    });
  }

  protected async send(req: EngineRequest): Promise<EngineResponse> {
    try {
      const res = await this.client.transport.request(
        {
          method: req.method,
          path: req.path,
          ...(req.querystring ? { querystring: req.querystring } : {}),
          ...(req.bulkBody ? { bulkBody: req.bulkBody as Record<string, unknown>[] } : req.body !== undefined ? { body: req.body as Record<string, unknown> } : {}),
        },
        { ignore: req.ignore ?? [] },
      );
      return { statusCode: res.statusCode ?? 0, body: res.body as unknown };
    } catch (err) {
      return errorResponse(err);
    }
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}

/** A ResponseError carries the engine's answer: hand it back for BaseSearchClient to judge; rethrow the rest (connection errors). */
function errorResponse(err: unknown): EngineResponse {
  const e = err as { name?: string; meta?: { statusCode?: number | null; body?: unknown } };
  if (e.name === 'ResponseError' && typeof e.meta?.statusCode === 'number') {
    return { statusCode: e.meta.statusCode, body: e.meta.body };
  }
  throw err;
}
