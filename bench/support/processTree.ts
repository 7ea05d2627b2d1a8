import { readdirSync, readFileSync } from 'node:fs';

/** Parent pid of a process, from /proc/<pid>/stat (field 4, after the parenthesised name). */
function parentOf(pid: string): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

/** The process and all its descendants (cluster workers, tsx's esbuild helper). */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const ppid = parentOf(entry);
    if (ppid === undefined) continue;
    const list = children.get(ppid) ?? [];
    list.push(Number(entry));
    children.set(ppid, list);
  }
  const out: number[] = [];
  const stack = [root];
  while (stack.length > 0) {
    const pid = stack.pop()!;
    out.push(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  return out;
}

/** Resident memory of one process in MiB (VmRSS), 0 when it is gone. */
export function rssMbOf(pid: number): number {
  try {
    const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) / 1024 : 0;
  } catch {
    return 0;
  }
}

const isNode = (pid: number): boolean => {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim().startsWith('node');
  } catch {
    return false;
  }
};

/**
 * Summed RSS of the node processes of a tree in MiB: the service and its
 * cluster workers, not tsx's esbuild helper. Shared pages count once per
 * process, as VmRSS does.
 */
export function treeRssMb(root: number): number {
  return Math.round(processTree(root).filter((pid) => pid === root || isNode(pid)).reduce((sum, pid) => sum + rssMbOf(pid), 0));
}
