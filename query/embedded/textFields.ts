import type { JobDocument } from '../../mappings/jobDocument.ts';
import { tokenize } from './analysis/analyzer.ts';

/** The analyzed terms of a document, per text field (in the query model's `textFields` order). */
export function analyzeDocument(doc: Pick<JobDocument, 'title' | 'skills' | 'description'>): string[][] {
  return [tokenize(doc.title), doc.skills.flatMap((s) => tokenize(s)), tokenize(doc.description)];
}
