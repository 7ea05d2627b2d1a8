/** A saved search whose query matches a job. */
export interface AlertMatch {
  workerId: string;
  searchId: string;
  name: string;
  alertFrequency: 'instant' | 'hourly' | 'daily' | 'weekly';
}

/** What percolating one job found, as of a log position. */
export interface Percolation {
  job: { jobId: string; title: string; city?: string };
  matches: AlertMatch[];
}

/**
 * Percolates a job against the saved searches with alerts on, with the same
 * semantics as `/v1/search` (server mode: the engine's percolator index;
 * embedded: the in-process percolator). `position` is the log position of the
 * event that opened or changed the job: the source answers from read models
 * that include it. Undefined when the job is not open there (closed since).
 */
export interface AlertSource {
  percolate(jobId: string, position: number): Promise<Percolation | undefined>;
}
