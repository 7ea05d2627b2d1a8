// jobsctl rebuild-index, rollback-index, replay.
import { Presets, SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { Option } from 'commander';
import { resolve } from 'node:path';
import { createTokenService } from '../http/tokens.ts';
import { connectSearch } from '../../query/engine/connect.ts';
import { authSecret } from '../authSecret.ts';
import type { Config } from '../config.ts';
import { loadConfig } from '../config.ts';
import { switchEmbeddedFiles, type RebuildAction } from '../rebuild/embeddedReadModels.ts';
import { embeddedFileName, embeddedVersions, readPointer } from '../rebuild/embeddedVersions.ts';
import type { RebuildProgress, RebuildSummary, VersionState } from '../rebuild/engineRebuild.ts';
import { RebuildError } from '../rebuild/engineRebuild.ts';
import { readModelNames, type ReadModelName } from '../rebuild/engineReadModels.ts';
import { rebuildEmbeddedFilesInParallel } from '../rebuild/parallelEmbeddedBuild.ts';
import { replayProjection, ReplayTargetExistsError, writeNdjson, writeToIndex } from '../rebuild/replay.ts';
import { runServerRebuild, serverVersions } from '../rebuild/serverRebuild.ts';
import { openRuntime } from '../runtime.ts';
import { CliError, parseCount } from './cliSupport.ts';

interface SwitchOptions {
  readModel: ReadModelName | 'all';
  url?: string;
  token?: string;
  json?: boolean;
}

const modelsOf = (m: SwitchOptions['readModel']): ReadModelName[] => (m === 'all' ? [...readModelNames] : [m]);

function progressBar(json: boolean | undefined) {
  if (json || !process.stderr.isTTY) return { update: (_m: string, _p: RebuildProgress) => undefined, stop: () => undefined };
  const bar = new SingleBar({ format: '{model} {phase} |{bar}| {value}/{total} events', hideCursor: true, stream: process.stderr }, Presets.shades_classic);
  let started = false;
  return {
    update(model: string, p: RebuildProgress) {
      if (!started) bar.start(Math.max(p.head, 1), 0, { model, phase: p.phase });
      started = true;
      bar.setTotal(Math.max(p.head, 1));
      bar.update(p.applied, { model, phase: p.phase });
    },
    stop: () => bar.stop(),
  };
}

/** Embedded mode with --url: the serving process rebuilds and swaps its own stores. */
async function viaServer(config: Config, url: string, token: string | undefined, action: RebuildAction, readModel: SwitchOptions['readModel']): Promise<RebuildSummary[]> {
  // Without --token, sign a short-lived operator token with the configured secret (same DATA_DIR or AUTH_SECRET as the server).
  const bearer = token ?? (await createTokenService(authSecret(config), '10m').sign({ role: 'operator', sub: 'jobsctl' }));
  let res: Response;
  try {
    res = await fetch(new URL('/v1/ops/rebuild', url), {
      method: 'POST',
      headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
      body: JSON.stringify({ readModel, action }),
    });
  } catch (err) {
    throw new CliError(`cannot reach ${url}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const body = (await res.json().catch(() => ({}))) as { results?: RebuildSummary[]; message?: string };
  if (res.status === 404) throw new CliError(`${url} has no POST /v1/ops/rebuild (not an embedded-mode server, or an older version)`);
  if (res.status === 401 || res.status === 403) throw new CliError(`${url} refused the operator token (${res.status}): pass --token or use the server's DATA_DIR / AUTH_SECRET`);
  if (res.status === 409) throw new CliError(body.message ?? 'the server refused the rebuild');
  if (!res.ok || !body.results) throw new Error(`${url} answered ${res.status}: ${body.message ?? ''}`);
  return body.results;
}

async function switchReadModels(action: RebuildAction, opts: SwitchOptions): Promise<void> {
  const config = loadConfig();
  const models = modelsOf(opts.readModel);
  let results: RebuildSummary[];
  if (config.JOBS_MODE === 'embedded' && opts.url) {
    if (!opts.json) process.stderr.write(`${action === 'rebuild' ? 'rebuilding' : 'rolling back'} ${models.join(', ')} in the server at ${opts.url} ...\n`);
    results = await viaServer(config, opts.url, opts.token, action, opts.readModel);
  } else {
    if (opts.url) throw new CliError('--url is for embedded mode; in server mode the command works on the search engine directly');
    const runtime = await openRuntime(config);
    const bar = progressBar(opts.json);
    try {
      if (config.JOBS_MODE === 'server') {
        results = await runServerRebuild(config, runtime.store, action, models, { onProgress: (m, p) => bar.update(m, p) });
      } else if (action === 'rebuild' && models.length > 1) {
        // A worker thread per read model: two cores, two models.
        results = await rebuildEmbeddedFilesInParallel(config, models, (m, p) => bar.update(m, p));
      } else {
        results = [];
        for (const m of models) results.push(await switchEmbeddedFiles(resolve(config.DATA_DIR), runtime.store, action, m, (p) => bar.update(m, p)));
      }
    } catch (err) {
      if (err instanceof RebuildError) throw new CliError(err.message);
      throw err;
    } finally {
      bar.stop();
      await runtime.close();
    }
  }
  if (opts.json) {
    process.stdout.write(`${JSON.stringify({ results })}\n`);
    return;
  }
  for (const r of results) {
    process.stdout.write(
      `${r.readModel}: ${r.action === 'rebuild' ? 'built' : 'rolled back to'} ${r.index.join(', ')} (v${r.version}) from position ${r.from} to ${r.to}: ` +
        `${r.events} events, ${r.documents} documents, ${r.seconds} s; previous ${r.previous.join(', ')} kept${r.deadLetters > 0 ? `; ${r.deadLetters} events dead-lettered` : ''}\n`,
    );
  }
  if (config.JOBS_MODE === 'embedded' && !opts.url) process.stdout.write('a service running on this DATA_DIR switches at its next start (use --url to swap it live)\n');
}

async function listVersions(opts: SwitchOptions): Promise<void> {
  const config = loadConfig();
  const models = modelsOf(opts.readModel);
  let states: VersionState[];
  if (config.JOBS_MODE === 'server') {
    states = await serverVersions(config, models);
  } else {
    const dir = resolve(config.DATA_DIR);
    const pointer = readPointer(dir);
    states = models.map((m) => ({
      readModel: m,
      current: pointer[m],
      versions: embeddedVersions(dir, m).map((v) => ({ version: v, indexes: [embeddedFileName(m, v)], position: undefined, live: v === pointer[m] })),
    }));
  }
  if (opts.json) {
    process.stdout.write(`${JSON.stringify({ readModels: states })}\n`);
    return;
  }
  for (const s of states) {
    for (const v of s.versions) {
      process.stdout.write(`${s.readModel.padEnd(6)} v${v.version} ${v.live ? '(live)' : '      '} ${v.indexes.join(', ')}${v.position !== undefined ? `  position ${v.position}` : ''}\n`);
    }
  }
}

const readModelOption = () => new Option('--read-model <name>', 'which read model').choices([...readModelNames, 'all']).default('all');

export function registerRebuildCommands(program: Command): void {
  program
    .command('rebuild-index')
    .description(
      'build the next version of the read models from the log, catch up, swap it in with no failed query, keep the previous one for rollback-index. ' +
        'Server mode: new indexes behind the aliases. Embedded mode: new SQLite files; --url swaps them in the running server, without it the service switches at its next start',
    )
    .addOption(readModelOption())
    .option('--url <url>', 'embedded mode: the running server to rebuild in (e.g. http://127.0.0.1:3000)')
    .option('--token <token>', 'operator token for --url (default: one signed with this DATA_DIR / AUTH_SECRET)')
    .option('--list', 'only list the versions that exist and which one is live')
    .option('--json', 'print JSON')
    .action(async (opts: SwitchOptions & { list?: boolean }) => (opts.list ? listVersions(opts) : switchReadModels('rebuild', opts)));

  program
    .command('rollback-index')
    .description('bring the previous version of the read models up to date and swap back to it')
    .addOption(readModelOption())
    .option('--url <url>', 'embedded mode: the running server to roll back in')
    .option('--token <token>', 'operator token for --url')
    .option('--json', 'print JSON')
    .action(async (opts: SwitchOptions) => switchReadModels('rollback', opts));

  program
    .command('replay')
    .description('fold one projection over the log up to --to and write the documents last changed after --from to an NDJSON file or a fresh index')
    .addOption(new Option('--projection <name>', 'which projection').choices([...readModelNames]).makeOptionMandatory())
    .option('--from <position>', 'only documents last changed after this position', (v) => parseCount(v, '--from'), 0)
    .option('--to <position>', 'the view as of this position (default: the log head)', (v) => parseCount(v, '--to'))
    .option('--out <file>', 'write NDJSON here, one {model, key, position, doc} per line (refuses an existing file)')
    .option('--index <name>', 'write into this fresh index (lists: <name>_<model>), outside every alias')
    .option('--json', 'print the summary as JSON')
    .action(async (opts: { projection: ReadModelName; from: number; to?: number; out?: string; index?: string; json?: boolean }) => {
      if ((opts.out === undefined) === (opts.index === undefined)) throw new CliError('give exactly one of --out FILE or --index NAME');
      if (opts.to !== undefined && opts.to < opts.from) throw new CliError('--to must not be below --from');
      const config = loadConfig();
      if (opts.index !== undefined && !config.SEARCH_URL) throw new CliError('--index needs SEARCH_URL (a search engine to write to)');
      const runtime = await openRuntime(config);
      const bar = progressBar(opts.json);
      const started = Date.now();
      try {
        const result = await replayProjection(runtime.store, {
          projection: opts.projection,
          from: opts.from,
          ...(opts.to !== undefined ? { to: opts.to } : {}),
          onProgress: (applied, to) => bar.update(opts.projection, { phase: 'load', applied, head: to }),
        });
        bar.stop();
        let target: string[];
        if (opts.out !== undefined) {
          await writeNdjson(opts.out, result.records).catch((err: NodeJS.ErrnoException) => {
            if (err.code === 'EEXIST') throw new CliError(`${opts.out} already exists`);
            throw err;
          });
          target = [opts.out];
        } else {
          const client = await connectSearch(config.SEARCH_URL!);
          try {
            target = await writeToIndex(client, opts.projection, opts.index!, result.records);
          } catch (err) {
            if (err instanceof ReplayTargetExistsError) throw new CliError(err.message);
            throw err;
          } finally {
            await client.close();
          }
        }
        const summary = {
          readModel: opts.projection,
          from: result.from,
          to: result.to,
          events: result.events,
          documents: result.records.length,
          seconds: Math.round((Date.now() - started) / 100) / 10,
          ...(opts.out !== undefined ? { out: target[0] } : { index: target }),
          deadLetters: result.deadLetters,
        };
        if (opts.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
        else process.stderr.write(`replayed ${summary.events} events of ${summary.readModel} up to ${summary.to}: ${summary.documents} documents changed after ${summary.from} → ${target.join(', ')} (${summary.seconds} s)\n`);
      } finally {
        bar.stop();
        await runtime.close();
      }
    });
}
