/**
 * What every PostgreSQL pool of the service is opened with: a connection
 * attempt gives up after 5 s and a statement after 60 s (the server cancels
 * it), so that a stuck database fails requests instead of holding them and
 * their sockets for ever. The longest statements the service runs (log pages
 * of a replay, an append batch) take well under a second.
 */
export const poolTimeouts = { connectionTimeoutMillis: 5_000, statement_timeout: 60_000 } as const;
