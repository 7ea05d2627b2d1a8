// Worker-thread entry for the thread priority test: lowers its own priority
// and reports its kernel thread id and the nice value the kernel now gives it.
import { getPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import { kernelThreadId, lowerThisThreadPriority } from '../../ops/support/threadPriority.ts';

const lowered = lowerThisThreadPriority();
const tid = kernelThreadId();
parentPort!.postMessage({ lowered, tid, nice: tid === undefined ? undefined : getPriority(tid) });
