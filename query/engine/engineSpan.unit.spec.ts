import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pathTemplate } from './engineSpan.ts';

describe('engine span names', () => {
  it.each([
    ['/', '/'],
    ['/_bulk', '/_bulk'],
    ['/t1_jobs/_search', '/{index}/_search'],
    ['/t1_jobs_v1,t1_jobs_v2/_count', '/{index}/_count'],
    ['/t1_jobs_v1/_doc/job-42', '/{index}/_doc/{id}'],
    ['/_alias/t1_jobs', '/_alias/{alias}'],
    ['/t1_jobs_v1', '/{index}'],
    ['/t1_jobs/_delete_by_query', '/{index}/_delete_by_query'],
  ])('%s is named %s', (path, template) => {
    expect(pathTemplate(path)).toBe(template);
  });

  it('never carries an index, document or alias name, so span names stay few', () => {
    const name = fc.stringMatching(/^[a-z0-9][a-z0-9_,.%-]{0,30}$/);
    const api = fc.constantFrom('_search', '_count', '_doc', '_bulk', '_alias', '_refresh', '_update', '_delete_by_query');
    const segment = fc.oneof(name, api);
    fc.assert(
      fc.property(fc.array(segment, { maxLength: 5 }), (segments) => {
        const template = pathTemplate(`/${segments.map(encodeURIComponent).join('/')}`);
        const parts = template.split('/').filter(Boolean);
        expect(parts).toHaveLength(segments.length);
        for (const part of parts) expect(part.startsWith('_') || ['{index}', '{id}', '{alias}', '{name}'].includes(part)).toBe(true);
      }),
    );
  });
});
