// connectSearch(url): read the engine's root endpoint and pick the adapter.
import { ElasticsearchClient } from './elasticsearch.ts';
import { OpenSearchClient, type ClientOptions } from './opensearch.ts';
import type { EngineName, SearchClient } from './searchClient.ts';

export interface ProbeResult {
  engine: EngineName;
  version: string;
}

/** GET / on the engine: `version.distribution === 'opensearch'` means OpenSearch, anything else Elasticsearch. */
export async function probeEngine(url: string, timeoutMs = 10_000): Promise<ProbeResult> {
  const target = new URL(url);
  const headers: Record<string, string> = { accept: 'application/json' };
  if (target.username || target.password) {
    // fetch refuses URLs with credentials: send them as basic auth.
    const user = decodeURIComponent(target.username);
    const pass = decodeURIComponent(target.password);
    headers.authorization = `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
    target.username = '';
    target.password = '';
  }
  const res = await fetch(new URL('/', target), { headers, signal: AbortSignal.timeout(timeoutMs) });
  if (!res.ok) throw new Error(`search engine at ${target.origin} answered GET / with HTTP ${res.status}`);
  const body = (await res.json()) as { version?: { number?: string; distribution?: string } };
  return {
    engine: body.version?.distribution === 'opensearch' ? 'opensearch' : 'elasticsearch',
    version: body.version?.number ?? 'unknown',
  };
}

export async function connectSearch(url: string, options: ClientOptions = {}): Promise<SearchClient> {
  const { engine } = await probeEngine(url);
  return engine === 'opensearch' ? new OpenSearchClient(url, options) : new ElasticsearchClient(url, options);
}
