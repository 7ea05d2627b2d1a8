const escapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text as HTML: every character that means something in markup or an attribute, escaped. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => escapes[c] ?? c);
}

// What a highlight may hold as markup: the stores' <em> wrappers and entities
// (the engine's html encoder writes &lt; &#x27; &#x2F; ...). Everything else is text.
const markup = /<em>|<\/em>|&(?:[a-z]{2,8}|#\d{1,7}|#x[0-9a-f]{1,6});/gi;

/**
 * A search highlight as HTML safe to place in a page: `<em>` and `</em>` are
 * kept (balanced, never nested), known entities are kept, and every other
 * character is escaped, whether or not the store escaped the text before
 * adding the tags.
 */
export function safeHighlight(highlight: string): string {
  let out = '';
  let open = false;
  let at = 0;
  for (const m of highlight.matchAll(markup)) {
    out += escapeHtml(highlight.slice(at, m.index));
    const token = m[0].toLowerCase();
    if (token === '<em>') {
      if (!open) out += '<em>';
      open = true;
    } else if (token === '</em>') {
      if (open) out += '</em>';
      open = false;
    } else {
      out += m[0];
    }
    at = m.index + m[0].length;
  }
  out += escapeHtml(highlight.slice(at));
  return open ? `${out}</em>` : out;
}
