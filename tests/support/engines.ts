// The search engines an engine suite runs against: SEARCH_URL (the OpenSearch
// node the global setup starts, or whatever the environment points at) and,
// when set, ELASTICSEARCH_URL (an Elasticsearch 8). Use with describe.each:
//
//   describe.each(engineTargets())('jobs index on $label', ({ url }) => { ... connectSearch(url) ... })
export interface EngineTarget {
  /** Which variable the URL came from, e.g. "SEARCH_URL". */
  label: string;
  url: string;
}

export function engineTargets(): EngineTarget[] {
  const targets: EngineTarget[] = [];
  const search = process.env.SEARCH_URL;
  if (search) targets.push({ label: 'SEARCH_URL', url: search });
  const es = process.env.ELASTICSEARCH_URL;
  if (es && es !== search) targets.push({ label: 'ELASTICSEARCH_URL', url: es });
  if (targets.length === 0) throw new Error('no SEARCH_URL: run the tests through vitest (the global setup starts OpenSearch)');
  if (!es) console.info('ELASTICSEARCH_URL is not set: this engine suite runs against SEARCH_URL only, not Elasticsearch 8');
  return targets;
}
