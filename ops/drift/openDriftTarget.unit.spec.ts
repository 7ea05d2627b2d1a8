import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import { jobArb } from '../../tests/support/matchArbitraries.ts';
import { EmbeddedJobStore } from '../../query/embedded/embeddedJobStore.ts';
import { embeddedFileName, writePointer } from '../rebuild/embeddedVersions.ts';
import { openDriftTarget } from './openDriftTarget.ts';

describe('the drift target of an embedded DATA_DIR', () => {
  it('is the live version read-models.json names after a blue/green rebuild, not read.db', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'drift-target-'));
    try {
      const [old, current] = fc.sample(jobArb('j'), { numRuns: 2, seed: 11 });
      for (const [version, doc] of [[1, { ...old!, jobId: 'in-v1', position: 1 }], [2, { ...current!, jobId: 'in-v2', position: 2 }]] as const) {
        const store = EmbeddedJobStore.open({ path: join(dir, embeddedFileName('jobs', version)) });
        await store.putJobs([doc]);
        store.close();
      }
      writePointer(dir, { jobs: 2, lists: 1 });
      const opened = await openDriftTarget(loadConfig({ DATA_DIR: dir, SEED: 'false' }));
      const seen: string[] = [];
      try {
        await opened.target.scan((page) => void seen.push(...page.map((s) => s.doc.jobId)));
      } finally {
        await opened.close();
      }
      expect(seen).toEqual(['in-v2']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
