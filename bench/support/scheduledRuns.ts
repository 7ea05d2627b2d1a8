// The service's scheduled runs (drift check, expiry, digests...) that overlapped
// a scenario: they share the machine's cores with the requests measured, so a
// report names them beside the figures they may have moved.

export interface OverlappingRun {
  job: string;
  startedAt: string;
  /** Absent: still running when the scenario ended. */
  endedAt?: string;
  /** Seconds of the run within the scenario's window. */
  overlapS: number;
  error?: string;
}

interface RecordedRun {
  job: string;
  startedAt: string;
  endedAt?: string;
  error?: string;
}

/** Runs recorded by the scheduler's process that overlap [from, to]; undefined when it could not be asked. */
export async function scheduledRunsBetween(schedulerUrl: string, operatorToken: string, from: Date, to: Date): Promise<OverlappingRun[] | undefined> {
  try {
    const res = await fetch(`${schedulerUrl}/v1/ops/jobs?runs=200`, { headers: { authorization: `Bearer ${operatorToken}` } });
    if (!res.ok) return undefined;
    const { runs } = (await res.json()) as { runs: RecordedRun[] };
    return overlapping(runs, from, to);
  } catch {
    return undefined;
  }
}

/** The runs whose [startedAt, endedAt or now] meets [from, to], oldest first. */
export function overlapping(runs: readonly RecordedRun[], from: Date, to: Date): OverlappingRun[] {
  const a = from.getTime();
  const b = to.getTime();
  return runs
    .map((r) => ({ r, start: Date.parse(r.startedAt), end: r.endedAt !== undefined ? Date.parse(r.endedAt) : b }))
    .filter(({ start, end }) => start <= b && end >= a)
    .sort((x, y) => x.start - y.start)
    .map(({ r, start, end }) => ({
      job: r.job,
      startedAt: r.startedAt,
      ...(r.endedAt !== undefined ? { endedAt: r.endedAt } : {}),
      overlapS: Math.round((Math.min(end, b) - Math.max(start, a)) / 100) / 10,
      ...(r.error !== undefined ? { error: r.error } : {}),
    }));
}
