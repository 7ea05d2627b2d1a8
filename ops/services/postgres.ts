// PostgreSQL on loopback with its own data directory: initdb (trust auth,
// 127.0.0.1 and the unix socket only), then the postmaster in the foreground of
// its own process group. As root it runs as the `postgres` system user.
import { chownSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { ensureProgram, freePort, isRoot, pidAlive, pidCommand, portIsFree, run, sleep, spawnDetached, stopProcess, tail, which, withDeathSignal } from './proc.ts';
import type { Health, ServiceDriver, ServiceState, StartContext } from './types.ts';

const SYSTEM_USER = 'postgres';

function binDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root)
      .filter((v) => /^\d+$/.test(v) && existsSync(join(root, v, 'bin', 'initdb')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0]) return join(root, versions[0], 'bin');
  }
  const initdb = which('initdb');
  return initdb ? initdb.slice(0, initdb.lastIndexOf('/')) : undefined;
}

async function ensureBinDir(log: (line: string) => void): Promise<string> {
  const found = binDir();
  if (found) return found;
  // The Debian package puts the server binaries outside PATH; psql is the marker.
  await ensureProgram('pg_ctlcluster', 'postgresql', log);
  const installed = binDir();
  if (!installed) throw new Error('PostgreSQL was installed but initdb was not found under /usr/lib/postgresql/*/bin');
  return installed;
}

async function userIds(user: string): Promise<{ uid: number; gid: number } | undefined> {
  const uid = await run('id', ['-u', user]);
  const gid = await run('id', ['-g', user]);
  if (uid.code !== 0 || gid.code !== 0) return undefined;
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

function chownTree(path: string, uid: number, gid: number): void {
  chownSync(path, uid, gid);
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    const child = join(path, entry.name);
    if (entry.isDirectory()) chownTree(child, uid, gid);
    else chownSync(child, uid, gid);
  }
}

/** Command prefix that drops root to the postgres user (setpriv execs, so the PID is the postmaster's). */
async function asUser(log: (line: string) => void): Promise<{ prefix: string[]; ids?: { uid: number; gid: number } }> {
  if (!isRoot()) return { prefix: [] };
  let ids = await userIds(SYSTEM_USER);
  if (!ids) {
    log(`  creating system user ${SYSTEM_USER} (PostgreSQL refuses to run as root)`);
    await run('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', SYSTEM_USER]);
    ids = await userIds(SYSTEM_USER);
    if (!ids) throw new Error(`could not create the ${SYSTEM_USER} user`);
  }
  const setpriv = which('setpriv');
  if (setpriv) return { prefix: [setpriv, `--reuid=${ids.uid}`, `--regid=${ids.gid}`, '--init-groups', '--'], ids };
  const runuser = which('runuser');
  if (runuser) return { prefix: [runuser, '-u', SYSTEM_USER, '--'], ids };
  throw new Error('running as root needs setpriv or runuser (util-linux) to start PostgreSQL as the postgres user');
}

export function databaseUrl(port: number): string {
  return `postgres://postgres@127.0.0.1:${port}/postgres`;
}

async function health(state: ServiceState): Promise<Health> {
  const client = new pg.Client({ connectionString: state.url, connectionTimeoutMillis: 2000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('select 1');
    const res = await client.query<{ server_version: string }>('show server_version');
    return { ok: true, version: res.rows[0]?.server_version ?? 'unknown' };
  } catch (err) {
    return { ok: false, detail: (err as Error).message };
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function start(ctx: StartContext): Promise<ServiceState> {
  const bin = await ensureBinDir(ctx.log);
  const { prefix, ids } = await asUser(ctx.log);
  const dataDir = join(ctx.dir, 'data');
  const socketDir = join(ctx.dir, 'run');
  const logFile = join(ctx.dir, 'postgres.log');
  mkdirSync(socketDir, { recursive: true });
  if (ids) chownTree(ctx.dir, ids.uid, ids.gid);
  const [command, ...prefixArgs] = prefix.length > 0 ? prefix : [join(bin, 'postgres')];
  const argv = (program: string, args: string[]): [string, string[]] =>
    prefix.length > 0 ? [command!, [...prefixArgs, join(bin, program), ...args]] : [join(bin, program), args];

  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    ctx.log('  initdb (trust auth on loopback)');
    const [cmd, args] = argv('initdb', ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--no-locale', '--no-sync']);
    const res = await run(cmd, args, { cwd: ctx.dir });
    if (res.code !== 0) throw new Error(`initdb failed (exit ${res.code}):\n${res.stdout}\n${res.stderr}`);
    const hba = ['# written by ops/services: trust on the unix socket and 127.0.0.1 only', 'local all all trust', 'host all all 127.0.0.1/32 trust', ''];
    writeFileSync(join(dataDir, 'pg_hba.conf'), hba.join('\n'));
    if (ids) chownSync(join(dataDir, 'pg_hba.conf'), ids.uid, ids.gid);
  }

  const previous = ctx.previous?.port;
  const port = previous !== undefined && (await portIsFree(previous)) ? previous : await freePort();
  const [cmd, args] = argv('postgres', [
    '-D', dataDir,
    '-p', String(port),
    '-c', 'listen_addresses=127.0.0.1',
    '-c', `unix_socket_directories=${socketDir}`,
    '-c', 'max_connections=200',
  ]);
  const began = Date.now();
  // SIGINT is the fast shutdown. With setpriv as root the flag goes after the
  // credential change (a uid change clears the parent-death signal).
  const [spawnCmd, spawnArgs] =
    ctx.deathSignal && prefix.length > 0 && prefix[0]?.endsWith('setpriv')
      ? [cmd, ['--pdeathsig', 'SIGINT', ...args]]
      : withDeathSignal(cmd, args, ctx.deathSignal && 'SIGINT');
  const pid = spawnDetached(spawnCmd, spawnArgs, logFile, { cwd: ctx.dir });
  const state: ServiceState = {
    name: 'postgres', pid, port, url: databaseUrl(port), version: '', dataDir, logFile,
    startedAt: new Date().toISOString(), startMs: 0, extra: { socketDir },
  };
  ctx.spawned(state);
  const until = Date.now() + 60_000;
  for (;;) {
    const h = await health(state);
    if (h.ok) return { ...state, version: h.version ?? '', startMs: Date.now() - began };
    if (!pidAlive(pid)) throw new Error(`PostgreSQL exited during start. Log tail (${logFile}):\n${tail(logFile)}`);
    if (Date.now() > until) {
      await stopProcess(pid, 'SIGQUIT', 5000);
      throw new Error(`PostgreSQL not healthy after 60s (${h.detail ?? ''}). Log tail (${logFile}):\n${tail(logFile)}`);
    }
    await sleep(200);
  }
}

export const postgres: ServiceDriver = {
  name: 'postgres',
  start,
  health,
  // SIGINT is PostgreSQL's "fast" shutdown: roll back open transactions and exit.
  stop: (state) => stopProcess(state.pid, 'SIGINT', 30_000),
  owns: (state) => pidAlive(state.pid) && pidCommand(state.pid).includes('postgres'),
};
