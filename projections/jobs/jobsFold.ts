import type { RecordedEvent } from '../../eventstore/port.ts';
import type { BusinessDocument, JobDocument } from '../../mappings/jobDocument.ts';
import { applyToJobDocument, jobIdOf } from './applyToJobDocument.ts';
import { applyToBusiness, businessIdOf, withBusinessName } from './businessProfiles.ts';

/**
 * The `jobs` read model folded in memory from the log, event by event, with
 * the projection's own pure functions: what the projector holds after the
 * same events (the drift check's expectation, a fresh replay in tests). An
 * event the projector would dead-letter is counted and skipped, as it is
 * there. `include(jobId, businessId)`, asked once per job at its draft,
 * narrows the fold to some jobs; business profiles are always folded (few),
 * since a job takes its business's name.
 */
export class JobsFold {
  readonly docs = new Map<string, JobDocument>();
  poisonEvents = 0;
  /** The part of poisonEvents that are business profile events (folded whatever the filter). */
  profilePoisonEvents = 0;
  private readonly profiles = new Map<string, BusinessDocument>();
  private readonly jobsOf = new Map<string, string[]>();
  private readonly folded = new Set<string>();
  private readonly nameOf = (businessId: string): string | undefined => this.profiles.get(businessId)?.name;

  constructor(private readonly include?: (jobId: string, businessId: string) => boolean) {}

  apply(event: RecordedEvent): void {
    const business = businessIdOf(event);
    if (business !== undefined) {
      this.rename(event, business);
      return;
    }
    const id = jobIdOf(event);
    if (id === undefined) return;
    // Whether a job is folded is decided at its first event (its draft, which names its business).
    if (!this.folded.has(id) && (event.type !== 'JobDrafted' || (this.include && !this.include(id, event.data.businessId)))) return;
    if (event.type === 'JobDiscarded') {
      // The projector removes a discarded draft's document.
      const current = this.docs.get(id);
      if (current && event.position > current.position) this.docs.delete(id);
      return;
    }
    let next: JobDocument | undefined;
    try {
      next = applyToJobDocument(this.docs.get(id), event, this.nameOf);
    } catch {
      this.poisonEvents++;
      return;
    }
    if (!next) return;
    if (!this.folded.has(id)) {
      this.folded.add(id);
      const of = this.jobsOf.get(next.businessId);
      if (of) of.push(id);
      else this.jobsOf.set(next.businessId, [id]);
    }
    this.docs.set(id, next);
  }

  private rename(event: RecordedEvent, businessId: string): void {
    let next: BusinessDocument | undefined;
    try {
      next = applyToBusiness(this.profiles.get(businessId), event);
    } catch {
      this.poisonEvents++;
      this.profilePoisonEvents++;
      return;
    }
    if (!next) return;
    this.profiles.set(businessId, next);
    for (const id of this.jobsOf.get(businessId) ?? []) {
      const doc = this.docs.get(id);
      const renamed = doc && withBusinessName(doc, next.name, event.position);
      if (renamed) this.docs.set(id, renamed);
    }
  }
}
