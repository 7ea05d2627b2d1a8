import { getPriority } from 'node:os';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { BACKGROUND_NICE, kernelThreadId } from './threadPriority.ts';
import { siblingModule, startWorker } from './typescriptWorker.ts';

describe('lowerThisThreadPriority', () => {
  // Per-thread nice values are Linux's (elsewhere the call is a documented no-op, nothing to observe).
  it.runIf(process.platform === 'linux')('lowers the priority of the worker thread that calls it and of no other thread', async () => {
    const main = kernelThreadId();
    expect(main).toBe(process.pid);
    const before = getPriority(main);
    const worker = startWorker(siblingModule(new URL('../../tests/support/threadPriorityProbe.ts', import.meta.url).href, 'threadPriorityProbe'));
    const [report] = (await once(worker, 'message')) as [{ lowered: boolean; tid?: number; nice?: number }];
    await worker.terminate();
    expect(report.lowered).toBe(true);
    expect(report.tid).toBeDefined();
    expect(report.tid).not.toBe(main);
    expect(report.nice).toBe(BACKGROUND_NICE);
    expect(getPriority(main)).toBe(before);
  });
});
