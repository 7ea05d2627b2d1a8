// Free text: the one place user words reach a query, and only as the `query`
// of a multi_match (never query_string, never script source).
import type { JsonObject } from '../../../mappings/indexDefinition.ts';
import { textFields } from '../../model/textFields.ts';

/** Searched fields and boosts (title x3, skills x2, description x1), as multi_match names them. */
export const TEXT_FIELDS: readonly string[] = textFields.map((f) => (f.boost === 1 ? f.engineField : `${f.engineField}^${f.boost}`));

/** Every word must match in some field (cross_fields, operator and). */
export function textQuery(text: string): JsonObject {
  return { multi_match: { query: text, type: 'cross_fields', operator: 'and', fields: [...TEXT_FIELDS] } };
}

/**
 * Highlights of title (whole) and description (up to 2 fragments of ~150
 * characters). `encoder: 'html'` escapes the text (& < > " ' /) before the
 * tags go in: a job's own markup never reaches a client as markup.
 */
export function highlightOf(text: string): JsonObject {
  return {
    encoder: 'html',
    pre_tags: ['<em>'],
    post_tags: ['</em>'],
    require_field_match: true,
    highlight_query: textQuery(text),
    fields: {
      title: { number_of_fragments: 0 },
      description: { fragment_size: 150, number_of_fragments: 2, no_match_size: 0 },
    },
  };
}
