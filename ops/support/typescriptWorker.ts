import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * A worker thread running a module of ours: under tsx (how the server and
 * jobsctl run from source) the worker registers tsx's loader before importing
 * it, as a new thread does not inherit the parent's module hooks on Node 20.
 */
export function startWorker(entry: URL, options: WorkerOptions = {}): Worker {
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry, options);
  const api = import.meta.resolve('tsx/esm/api');
  return new Worker(`import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(entry.href)}); })`, { ...options, eval: true });
}

/** The sibling module `name` (without extension) of `base`, as .ts from source and .js once compiled. */
export function siblingModule(base: string, name: string): URL {
  return new URL(`./${name}${base.endsWith('.ts') ? '.ts' : '.js'}`, base);
}
