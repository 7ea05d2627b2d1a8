// SearchClient over @elastic/elasticsearch 8.x (Elasticsearch 8 servers; the
// client refuses OpenSearch, which is why connect.ts probes first).
import { Client } from '@elastic/elasticsearch';
import { BaseSearchClient, type EngineRequest, type EngineResponse } from './searchClient.ts';
import type { ClientOptions } from './opensearch.ts';

export class ElasticsearchClient extends BaseSearchClient {
  readonly engine = 'elasticsearch' as const;
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
      const res = await this.client.transport.request<unknown>(
        {
          method: req.method,
          path: req.path,
          ...(req.querystring ? { querystring: req.querystring } : {}),
          ...(req.bulkBody ? { bulkBody: req.bulkBody as Record<string, unknown>[] } : req.body !== undefined ? { body: req.body as Record<string, unknown> } : {}),
        },
        { ignore: req.ignore ?? [], meta: true },
      );
      return { statusCode: res.statusCode ?? 0, body: res.body };
    } catch (err) {
      const e = err as { name?: string; meta?: { statusCode?: number; body?: unknown } };
      if (e.name === 'ResponseError' && typeof e.meta?.statusCode === 'number') return { statusCode: e.meta.statusCode, body: e.meta.body };
      throw err;
    }
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
