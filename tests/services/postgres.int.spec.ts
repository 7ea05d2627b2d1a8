import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

describe('PostgreSQL (DATABASE_URL from the global setup)', () => {
  const url = process.env.DATABASE_URL;
  let client: pg.Client;

  beforeAll(async () => {
    expect(url, 'DATABASE_URL must be set by tests/support/globalSetup.ts').toBeTruthy();
    client = new pg.Client({ connectionString: url });
    await client.connect();
  });

  afterAll(async () => {
    await client?.end();
  });

  it('is a real PostgreSQL server', async () => {
    const res = await client.query<{ server_version_num: string }>('show server_version_num');
    expect(Number(res.rows[0]?.server_version_num)).toBeGreaterThanOrEqual(130000);
  });

  it('round-trips rows through a table, with a transaction', async () => {
    await client.query('create temporary table smoke (id serial primary key, name text not null, payload jsonb)');
    await client.query('begin');
    await client.query('insert into smoke (name, payload) values ($1, $2), ($3, $4)', ['a', { n: 1 }, 'b', { n: 2 }]);
    await client.query('commit');
    await client.query('begin');
    await client.query('insert into smoke (name) values ($1)', ['rolled back']);
    await client.query('rollback');
    const res = await client.query<{ name: string; payload: { n: number } }>('select name, payload from smoke order by id');
    expect(res.rows).toEqual([
      { name: 'a', payload: { n: 1 } },
      { name: 'b', payload: { n: 2 } },
    ]);
  });
});
