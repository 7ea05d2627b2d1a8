import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { poolTimeouts } from './poolOptions.ts';

describe('the PostgreSQL pools\' timeouts', () => {
  const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 1, ...poolTimeouts });
  afterAll(async () => pool.end());

  it('reach the server: a statement past 60 s is cancelled by PostgreSQL itself', async () => {
    const { rows } = await pool.query<{ statement_timeout: string }>('SHOW statement_timeout');
    expect(rows[0]?.statement_timeout).toBe('1min');
  });

  it('cancel a statement that runs past the limit with the server\'s error, and the pool goes on', async () => {
    const client = await pool.connect();
    try {
      // The same mechanism at a limit a test can wait for.
      await client.query('SET statement_timeout = 200');
      await expect(client.query('SELECT pg_sleep(5)')).rejects.toMatchObject({ code: '57014' });
      await client.query('RESET statement_timeout');
    } finally {
      client.release();
    }
    expect((await pool.query<{ one: number }>('SELECT 1 AS one')).rows[0]?.one).toBe(1);
  });
});
