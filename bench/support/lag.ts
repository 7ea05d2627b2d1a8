import { performance } from 'node:perf_hooks';
import { summarize } from './stats.ts';
import type { Latency } from './stats.ts';

/** A word the tokenizer keeps whole and no seeded job contains: letters only. */
function uniqueWord(run: string, i: number): string {
  let n = i;
  let s = '';
  do {
    s = String.fromCharCode(97 + (n % 26)) + s;
    n = Math.floor(n / 26);
  } while (n > 0);
  return `zqx${run}${s}`;
}

export interface LagResult {
  samples: number;
  failures: number;
  /** POST /v1/jobs alone. */
  commandMs: Latency;
  /** From the command's reply to the job found by a search with minPosition. */
  lagMs: Latency;
  /** POST sent to the job found: what a user sees. */
  totalMs: Latency;
}

/**
 * Command → searchable: post a job with a word of its own, then search for the
 * word with minPosition = the reply's position (retrying while the answer is a
 * 503 stale_read or does not hold the job yet), one sample at a time.
 */
export async function measureLag(opts: { writeUrl: string; readUrl: string; businessToken: string; samples: number; body: (word: string) => string; maxSeconds: number }): Promise<LagResult> {
  const run = Math.random().toString(36).replace(/[^a-z]/g, '').slice(0, 5);
  const command: number[] = [];
  const lag: number[] = [];
  const total: number[] = [];
  let failures = 0;
  const deadline = performance.now() + opts.maxSeconds * 1000;
  for (let i = 0; i < opts.samples && performance.now() < deadline; i++) {
    const word = uniqueWord(run, i);
    const t0 = performance.now();
    const res = await fetch(`${opts.writeUrl}/v1/jobs`, { method: 'POST', headers: { authorization: `Bearer ${opts.businessToken}`, 'content-type': 'application/json' }, body: opts.body(word) });
    const t1 = performance.now();
    if (res.status !== 200 && res.status !== 201) {
      failures++;
      await res.text();
      continue;
    }
    const { id, position } = (await res.json()) as { id: string; position: number };
    let found = false;
    while (!found && performance.now() - t1 < 10_000) {
      const r = await fetch(`${opts.readUrl}/v1/search?text=${word}&minPosition=${position}`);
      if (r.ok) {
        const body = (await r.json()) as { hits: Array<{ job: { jobId: string } }> };
        found = body.hits.some((h) => h.job.jobId === id);
      } else {
        await r.text();
      }
      if (!found) await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const t2 = performance.now();
    if (!found) {
      failures++;
      continue;
    }
    command.push(t1 - t0);
    lag.push(t2 - t1);
    total.push(t2 - t0);
  }
  return { samples: lag.length, failures, commandMs: summarize(command), lagMs: summarize(lag), totalMs: summarize(total) };
}
