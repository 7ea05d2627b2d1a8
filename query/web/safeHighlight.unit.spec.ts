import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeHtml, safeHighlight } from './safeHighlight.ts';

const stripEm = (s: string) => s.replace(/<\/?em>/g, '');
const decode = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
// Highlights as the stores write them: text pieces, some wrapped in <em>.
const highlight = fc.array(fc.tuple(fc.string({ unit: fc.constantFrom('a', ' ', '<', '>', '"', "'", '/', 'é', 'x', '<b>', '</em', 'script') }), fc.boolean()), { maxLength: 8 });

describe('safeHighlight', () => {
  it('keeps the stores\' <em> tags and escapes every other character that is markup', () => {
    expect(safeHighlight('<em>Kayak</em> <b>rental</b> & "tours"')).toBe('<em>Kayak</em> &lt;b&gt;rental&lt;/b&gt; &amp; &quot;tours&quot;');
    expect(safeHighlight('&lt;script&gt; <em>cook</em> &#x2F; &#39;')).toBe('&lt;script&gt; <em>cook</em> &#x2F; &#39;');
    expect(safeHighlight('<EM>a</EM></em><em><em>b')).toBe('<em>a</em><em>b</em>');
    expect(safeHighlight('<em onclick=x>a')).toBe('&lt;em onclick=x&gt;a');
  });

  it('leaves no tag but balanced <em> and shows the same text (property)', () => {
    fc.assert(
      fc.property(highlight, (pieces) => {
        const raw = pieces.map(([text, em]) => (em ? `<em>${text}</em>` : text)).join('');
        const html = safeHighlight(raw);
        expect(stripEm(html)).not.toMatch(/[<>]/);
        expect(html.match(/<em>/g)?.length ?? 0).toBe(html.match(/<\/em>/g)?.length ?? 0);
        expect(html).not.toMatch(/<em>(?:(?!<\/em>).)*<em>/s);
        // What a reader sees is the text the store highlighted (unescaped input has no entities to keep).
        if (!raw.includes('&')) expect(decode(stripEm(html))).toBe(stripEm(raw));
      }),
      { numRuns: 2000 },
    );
  });

  it('escapeHtml escapes the five characters of markup and attributes', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });
});
