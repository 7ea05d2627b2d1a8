// compose.yaml describes the production topology; no Docker engine runs
// here, so what can go wrong in it is checked as data: every role it starts
// is one `jobsctl serve` knows, no password has a default, only the service's
// roles publish ports, and the search engine and the event store run with
// their security on.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { serverRoles } from './startServer.ts';

interface Service {
  image?: string;
  build?: unknown;
  command?: string[];
  ports?: string[];
  environment?: Record<string, string>;
}
const compose = parse(readFileSync(fileURLToPath(new URL('../compose.yaml', import.meta.url)), 'utf8'), { merge: true }) as { services: Record<string, Service> };
const services = Object.entries(compose.services);
const roles = services.filter(([, s]) => s.build !== undefined);
const required = /^\$\{[A-Z_]+:\?[^}]+\}$/;

describe('compose.yaml', () => {
  it('starts only roles that jobsctl serve knows, each from the service image', () => {
    expect(roles.map(([name]) => name).sort()).toEqual(['command', 'projector', 'query']);
    for (const [name, s] of roles) {
      expect(s.command?.slice(0, 2), name).toEqual(['serve', '--role']);
      expect(serverRoles as readonly string[], name).toContain(s.command?.[2]);
    }
  });

  it('gives no password or secret a default: each must be set by whoever starts it', () => {
    const values = services.flatMap(([name, s]) => Object.entries(s.environment ?? {}).map(([key, value]) => ({ name, key, value: String(value) })));
    const secrets = values.filter((v) => /PASSWORD|SECRET/.test(v.key));
    expect(secrets.length).toBeGreaterThanOrEqual(5);
    for (const v of secrets) expect(v.value, `${v.name}.${v.key}`).toMatch(required);
    // Credentials inside connection URLs come from those variables too, never written out.
    for (const v of values.filter((x) => /^[a-z]+:\/\/[^/@]*@/.test(x.value))) {
      expect(v.value, `${v.name}.${v.key}`).toMatch(/^[a-z]+:\/\/[^:@/]*:\$\{[A-Z_]+:\?[^}]+\}@/);
    }
    const redis = compose.services.redis?.command ?? [];
    expect(redis[redis.indexOf('--requirepass') + 1]).toMatch(required);
  });

  it('publishes ports for the service\'s roles only: the databases are reachable inside the compose network alone', () => {
    for (const [name, s] of services) {
      if (s.build === undefined) expect(s.ports, name).toBeUndefined();
    }
  });

  it('runs Elasticsearch and EventStoreDB with security on', () => {
    expect(compose.services.elasticsearch?.environment?.['xpack.security.enabled']).toBe('true');
    expect(compose.services.eventstore?.environment?.EVENTSTORE_INSECURE).toBe('false');
    const app = roles[0]?.[1].environment ?? {};
    expect(app.EVENTSTOREDB_URL).toMatch(/\?tls=true&tlsCAFile=/);
  });
});
