// Highlights are safe markup in both jobs read stores, and the same string:
// the search engine (SEARCH_URL, and ELASTICSEARCH_URL when set; encoder html)
// and the embedded store escape a job's own < > & " ' / before adding
// <em>…</em>, so a title like `<script>alert(1)</script> barista` never reaches
// a client as markup, whichever store answers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobDocument } from '../../mappings/jobDocument.ts';
import { openEmbeddedJobStore, type EmbeddedJobStore } from '../../query/embedded/embeddedJobStore.ts';
import { connectSearch } from '../../query/engine/connect.ts';
import { createEngineJobStore, type EngineJobStore } from '../../query/engine/engineJobStore.ts';
import type { SearchClient } from '../../query/engine/searchClient.ts';
import type { SearchHit } from '../../query/model/readStore.ts';
import { SearchRequest } from '../../query/model/searchRequest.ts';
import { engineTargets } from '../support/engines.ts';

const NOW = new Date('2026-06-15T12:00:00.000Z');
const DAY = 86_400_000;

let position = 1;
function job(jobId: string, title: string, description: string): JobDocument {
  return {
    jobId,
    businessId: 'b1',
    title,
    description,
    category: 'hospitality',
    employmentType: 'seasonal',
    pay: { min: 12, max: 14, currency: 'EUR', unit: 'hour' },
    hourlyMin: 12,
    hourlyMax: 14,
    remote: true,
    skills: [],
    experienceYears: 0,
    status: 'open',
    createdAt: new Date(NOW.getTime() - 10 * DAY).toISOString(),
    updatedAt: new Date(NOW.getTime() - 5 * DAY).toISOString(),
    publishedAt: new Date(NOW.getTime() - 5 * DAY).toISOString(),
    expiresAt: new Date(NOW.getTime() + 30 * DAY).toISOString(),
    views: 0,
    saves: 0,
    applications: 0,
    position: position++,
  };
}

// Descriptions are one sentence, starting with a word, with every queried
// word in its first 30 characters: there both stores' fragmenters give the
// whole sentence, so the strings compare exactly. (Where a match lies deeper
// in a longer text the two fragmenters choose different fragment boundaries;
// `h05` checks those fragments for escaping in each store without comparing
// them.)
const DOCS: JobDocument[] = [
  job('h01', '<script>alert(1)</script> barista', 'Make <b>espresso</b> & "flat whites"; it\'s 5 > 3 < 4 and a/b.'),
  job('h02', 'Bed & Breakfast "host"', "Tom's <i onclick=alert('x')>front/back</i> café."),
  job('h03', 'Sous/chef \'nights\' <i>only</i>', 'Sous chef & "plating" <pass> at night/day, \'late\' shifts.'),
  job('h04', 'Already &lt;escaped&gt; &amp; host', 'Fake <em>tags</em>, &quot;quoted&quot; &#x27;apos&#x27; &#x2F; entities.'),
  job('h05', 'Pastry cook', `${'Long shifts in a busy place with a friendly team & fair tips. '.repeat(3)}The pastry <kitchen> needs "care" & it's hot/cold. ${'Long shifts in a busy place with a friendly team & fair tips. '.repeat(3)}Our pastry crew: 'early' & <late>.`),
];

/** Query texts and the jobs each must highlight (not vacuous: every case finds its jobs). */
const CASES: Array<{ text: string; ids: string[] }> = [
  { text: 'barista', ids: ['h01'] },
  { text: 'espresso', ids: ['h01'] },
  { text: 'script', ids: ['h01'] },
  { text: 'alert', ids: ['h01', 'h02'] },
  { text: 'breakfast', ids: ['h02'] },
  { text: 'bed breakfast', ids: ['h02'] },
  { text: 'tom', ids: ['h02'] },
  { text: 'front', ids: ['h02'] },
  { text: 'chef', ids: ['h03'] },
  { text: 'plating', ids: ['h03'] },
  { text: 'host', ids: ['h02', 'h04'] },
  { text: 'tags', ids: ['h04'] },
];

const highlightsById = (hits: SearchHit[]): Record<string, SearchHit['highlights']> => Object.fromEntries(hits.map((h) => [h.job.jobId, h.highlights]));

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#x27;': "'", '&#x2F;': '/' };
/** The text a highlight shows: tags removed, the six entities decoded in one pass. */
const decode = (h: string): string => h.replace(/<\/?em>/g, '').replace(/&amp;|&lt;|&gt;|&quot;|&#x27;|&#x2F;/g, (x) => ENTITIES[x]!);

/** Nothing but <em>/</em> as markup, and every & one of the engine's entities. */
function markupProblems(h: string): string[] {
  const bare = h.replace(/<\/?em>/g, '');
  const out: string[] = [];
  if (/[<>"'/]/.test(bare)) out.push(`raw markup character in ${JSON.stringify(h)}`);
  if (/&(?!amp;|lt;|gt;|quot;|#x27;|#x2F;)/.test(bare)) out.push(`bare & in ${JSON.stringify(h)}`);
  return out;
}

describe.each(engineTargets())('highlights are escaped the same way: engine on $label vs embedded', ({ label, url }) => {
  let client: SearchClient;
  let engine: EngineJobStore;
  let embedded: EmbeddedJobStore;
  const uid = `hl${process.pid.toString(36)}${Date.now().toString(36)}${label.toLowerCase().replace(/[^a-z0-9]/g, '')}_`;

  beforeAll(async () => {
    client = await connectSearch(url);
    engine = createEngineJobStore(client, { prefix: uid });
    await engine.ensureIndex();
    await engine.putJobs(DOCS);
    await engine.refresh();
    embedded = await openEmbeddedJobStore({ path: ':memory:' });
    await embedded.putJobs(DOCS);
  }, 120_000);

  afterAll(async () => {
    embedded?.close();
    if (client) {
      if (engine) await client.deleteIndex([engine.index, engine.businesses.index], { ignoreMissing: true });
      await client.close();
    }
  });

  const both = async (text: string) => {
    const request = SearchRequest.parse({ text, highlight: true, size: 50 });
    const [e, m] = await Promise.all([engine.search(request, NOW), embedded.search(request, NOW)]);
    return { e: highlightsById(e.hits), m: highlightsById(m.hits) };
  };

  it('escapes a script title and keeps only <em> around the matched word', async () => {
    const { e, m } = await both('barista');
    const expected = '&lt;script&gt;alert(1)&lt;&#x2F;script&gt; <em>barista</em>';
    expect(e.h01?.title).toEqual([expected]);
    expect(m.h01?.title).toEqual([expected]);
  });

  it('escapes & < > " \' / of titles and descriptions with the entities of the engine', async () => {
    const { e, m } = await both('espresso');
    const expected = ['Make &lt;b&gt;<em>espresso</em>&lt;&#x2F;b&gt; &amp; &quot;flat whites&quot;; it&#x27;s 5 &gt; 3 &lt; 4 and a&#x2F;b.'];
    expect(e.h01?.description).toEqual(expected);
    expect(m.h01?.description).toEqual(expected);
    // A text that already holds entities is text: its & is escaped again, its <em> is not ours.
    const f = await both('tags');
    const fake = ['Fake &lt;em&gt;<em>tags</em>&lt;&#x2F;em&gt;, &amp;quot;quoted&amp;quot; &amp;#x27;apos&amp;#x27; &amp;#x2F; entities.'];
    expect(f.e.h04?.description).toEqual(fake);
    expect(f.m.h04?.description).toEqual(fake);
  });

  it('escapes the fragments of a long description in each store (fragment boundaries are each store\'s own)', async () => {
    const { e, m } = await both('pastry');
    const description = DOCS.find((d) => d.jobId === 'h05')!.description;
    for (const [store, fragments] of [['engine', e.h05?.description], ['embedded', m.h05?.description]] as const) {
      expect(fragments, `${store}: two fragments`).toHaveLength(2);
      for (const f of fragments ?? []) {
        expect(f, store).toContain('<em>pastry</em>');
        expect(markupProblems(f), store).toEqual([]);
        expect(description, `${store}: a fragment decodes to a slice of the description`).toContain(decode(f));
      }
    }
    expect(e.h05?.description?.join(' ')).toContain('&lt;kitchen&gt; needs &quot;care&quot; &amp; it&#x27;s hot&#x2F;cold.');
    expect(m.h05?.description?.join(' ')).toContain('&lt;kitchen&gt; needs &quot;care&quot; &amp; it&#x27;s hot&#x2F;cold.');
  });

  it.each(CASES)('gives the same highlight strings in both stores for "$text"', async ({ text, ids }) => {
    const { e, m } = await both(text);
    expect(Object.keys(e).sort(), `${text}: engine hits`).toEqual(ids);
    expect(m, `${text}: embedded vs engine`).toEqual(e);
    for (const id of ids) {
      const strings = [...(e[id]?.title ?? []), ...(e[id]?.description ?? [])];
      expect(strings.length, `${text}: ${id} is highlighted`).toBeGreaterThan(0);
      for (const s of strings) {
        expect(s).toContain('<em>');
        expect(markupProblems(s)).toEqual([]);
      }
    }
  });
});
