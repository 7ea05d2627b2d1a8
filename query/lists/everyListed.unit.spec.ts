import { afterEach, describe, expect, it } from 'vitest';
import type { JobStatsDocument } from '../../projections/lists/jobStats.ts';
import { type EmbeddedListStores, openEmbeddedListStores } from './embeddedListStore.ts';
import { everyListed } from './everyListed.ts';
import type { KeyedDocStore, ListQuery } from './keyedStore.ts';

const T0 = Date.parse('2027-03-01T12:00:00.000Z');

function statsDoc(i: number, minutes: number, views: number, businessId = 'b1'): JobStatsDocument {
  return {
    jobId: `job-${i}`,
    businessId,
    days: {},
    totals: { views, saves: 0, applications: 0 },
    updatedAt: new Date(T0 + minutes * 60_000).toISOString(),
    position: 1000 + minutes,
  };
}

describe('everyListed', () => {
  let stores: EmbeddedListStores | undefined;
  afterEach(async () => {
    await stores?.close();
    stores = undefined;
  });
  const open = async (docs: JobStatsDocument[]): Promise<KeyedDocStore<JobStatsDocument>> => {
    stores = openEmbeddedListStores(':memory:');
    await stores.jobStats.write(docs.map((doc) => ({ key: doc.jobId, position: doc.position, doc })));
    return stores.jobStats;
  };

  it('visits every document of the owner once, whatever the page size, and none of another owner', async () => {
    const store = await open([...Array.from({ length: 9 }, (_, i) => statsDoc(i, i % 4, i)), statsDoc(99, 1, 5, 'b2')]);
    for (const pageSize of [1, 2, 4, 1000]) {
      const pages: number[] = [];
      const counted = { list: (q: ListQuery) => store.list(q).then((p) => (pages.push(p.items.length), p)), model: store.model };
      const seen = await everyListed(counted, { by: 'businessId', value: 'b1' }, pageSize, (d) => d.totals.views);
      expect([...seen.keys()].sort(), `page size ${pageSize}`).toEqual(Array.from({ length: 9 }, (_, i) => `job-${i}`).sort());
      expect([...seen.entries()].every(([k, v]) => k === `job-${v}`)).toBe(true);
      expect(pages.filter((n) => n > pageSize)).toEqual([]);
    }
    expect((await everyListed(store, { by: 'businessId', value: 'nobody' }, 3, (d) => d)).size).toBe(0);
  });

  it('still visits a document written to the front while the pages are read, with what it holds then', async () => {
    const store = await open(Array.from({ length: 6 }, (_, i) => statsDoc(i, i, 1)));
    let pagesRead = 0;
    // A projection write lands between the first and second page: the oldest job, not read yet, becomes the newest.
    const racing = {
      model: store.model,
      list: async (q: ListQuery) => {
        const page = await store.list(q);
        if (++pagesRead === 1) {
          const moved = statsDoc(0, 10, 7);
          await store.write([{ key: moved.jobId, position: moved.position, doc: moved }]);
        }
        return page;
      },
    };
    const seen = await everyListed(racing, { by: 'businessId', value: 'b1' }, 2, (d) => d.totals.views);
    expect(seen.size).toBe(6);
    expect(seen.get('job-0')).toBe(7);
  });
});
