export type ServiceName = 'postgres' | 'redis' | 'opensearch';

export const SERVICE_NAMES: readonly ServiceName[] = ['postgres', 'redis', 'opensearch'];

/** The environment variable each service's URL is published under. */
export const ENV_VAR = {
  postgres: 'DATABASE_URL',
  redis: 'REDIS_URL',
  opensearch: 'SEARCH_URL',
} as const satisfies Record<ServiceName, string>;

export type EnvVarName = (typeof ENV_VAR)[ServiceName];

/** One started server, as recorded in <baseDir>/state.json. */
export interface ServiceState {
  name: ServiceName;
  pid: number;
  port: number;
  url: string;
  version: string;
  dataDir: string;
  logFile: string;
  startedAt: string;
  /** Milliseconds from spawn to healthy. */
  startMs: number;
  /** Service-specific details (OpenSearch transport port, PostgreSQL socket dir, ...). */
  extra?: Record<string, string | number>;
}

export interface ServicesState {
  baseDir: string;
  /** PID of the process that owns these services (a test run); absent for `services:up`. */
  owner?: number;
  services: Partial<Record<ServiceName, ServiceState>>;
}

export interface Health {
  ok: boolean;
  version?: string;
  detail?: string;
}

export interface StartContext {
  /** Folder of this service (<baseDir>/<name>). */
  dir: string;
  /** The previous state, if a former `up` started this service: reuse its port when free. */
  previous?: ServiceState;
  log: (line: string) => void;
  /** When set, the server gets this signal if the spawning process dies (test runs). */
  deathSignal?: NodeJS.Signals;
  /** Called right after the server process is spawned, before it is healthy, so its PID is on record. */
  spawned: (state: ServiceState) => void;
}

export interface ServiceDriver {
  name: ServiceName;
  start(ctx: StartContext): Promise<ServiceState>;
  health(state: ServiceState): Promise<Health>;
  stop(state: ServiceState): Promise<void>;
  /** True when the live process with state.pid is this server (not a recycled PID). */
  owns(state: ServiceState): boolean;
}
