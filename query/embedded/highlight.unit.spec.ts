// Embedded highlights are safe markup: the job's text is HTML-escaped with the
// engine's entity set (encoder: 'html') and only <em>/</em> are ours.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeHighlightText, highlightFragments, highlightWhole } from './highlight.ts';
import { tokenSpans } from './analysis/analyzer.ts';

/** An independent decoder of exactly the six entities the engine writes, one pass (so `&amp;lt;` gives `&lt;`). */
const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#x27;': "'", '&#x2F;': '/' };
const unescape = (s: string): string => s.replace(/&amp;|&lt;|&gt;|&quot;|&#x27;|&#x2F;/g, (e) => ENTITIES[e]!);
const stripTags = (s: string): string => s.replace(/<\/?em>/g, '');

/** The highlight holds no markup but ours: no `<` or `>` outside <em>/</em>, every `&` starts one of the six entities. */
function onlyOurMarkup(highlight: string): string[] {
  const problems: string[] = [];
  const bare = stripTags(highlight);
  if (/[<>"'/]/.test(bare)) problems.push(`raw markup character in ${JSON.stringify(highlight)}`);
  if (/&(?!amp;|lt;|gt;|quot;|#x27;|#x2F;)/.test(bare)) problems.push(`bare & in ${JSON.stringify(highlight)}`);
  if (/<em>(?:(?!<\/em>).)*<em>/s.test(highlight) || (highlight.match(/<em>/g)?.length ?? 0) !== (highlight.match(/<\/em>/g)?.length ?? 0)) {
    problems.push(`unbalanced tags in ${JSON.stringify(highlight)}`);
  }
  return problems;
}

/** Text mixing words, the six escaped characters, look-alike tags and entities, and other Unicode. */
const hostileText = fc
  .array(
    fc.oneof(
      fc.constantFrom('barista', 'cook', 'kitchen', 'alert', 'script', 'em', 'amp', 'lt'),
      fc.constantFrom('<', '>', '&', '"', "'", '/', ' ', ' ', '<em>', '</em>', '<script>', '&lt;', '&amp;', '&#x2F;', 'é', '—', '`', '='),
      fc.string({ maxLength: 6, unit: 'grapheme' }),
    ),
    { maxLength: 60 },
  )
  .map((parts) => parts.join(''));

/** A text with a set of query terms drawn from its own tokens (so matches happen). */
const textAndTerms = hostileText.chain((text) => {
  const terms = [...new Set(tokenSpans(text).map((s) => s.term))];
  return fc.subarray(terms).map((picked) => ({ text, terms: new Set(picked) }));
});

describe('embedded highlights are HTML-escaped before the tags go in', () => {
  it('escapes a script title around the highlighted word, as the engine does', () => {
    expect(highlightWhole('<script>alert(1)</script> barista', new Set(['barista']))).toBe('&lt;script&gt;alert(1)&lt;&#x2F;script&gt; <em>barista</em>');
    expect(highlightFragments('Tom & Jerry\'s <b>barista</b> "job"', new Set(['barista']))).toEqual(['Tom &amp; Jerry&#x27;s &lt;b&gt;<em>barista</em>&lt;&#x2F;b&gt; &quot;job&quot;']);
  });

  it('uses the engine encoder entity set: & < > " \' / and nothing else', () => {
    expect(escapeHighlightText(`&<>"'/`)).toBe('&amp;&lt;&gt;&quot;&#x27;&#x2F;');
    expect(escapeHighlightText('naïve café — `x` = © 😀')).toBe('naïve café — `x` = © 😀');
    // Already-escaped text is text: its & is escaped again.
    expect(escapeHighlightText('&lt;em&gt;')).toBe('&amp;lt;em&amp;gt;');
  });

  it('a whole-field highlight decodes to the original text and holds no markup but <em>', () => {
    fc.assert(
      fc.property(textAndTerms, ({ text, terms }) => {
        const h = highlightWhole(text, terms);
        if (h === undefined) {
          expect(tokenSpans(text).some((s) => terms.has(s.term))).toBe(false);
          return;
        }
        expect(unescape(stripTags(h))).toBe(text);
        expect(onlyOurMarkup(h)).toEqual([]);
      }),
      { numRuns: 500, seed: 20_260_615 },
    );
  });

  it('each description fragment decodes to a slice of the original text and holds no markup but <em>', () => {
    fc.assert(
      fc.property(textAndTerms, fc.integer({ min: 5, max: 150 }), ({ text, terms }, size) => {
        const fragments = highlightFragments(text, terms, size);
        for (const f of fragments) {
          expect(text).toContain(unescape(stripTags(f)));
          expect(f).toContain('<em>');
          expect(onlyOurMarkup(f)).toEqual([]);
        }
      }),
      { numRuns: 500, seed: 20_260_616 },
    );
  });
});
