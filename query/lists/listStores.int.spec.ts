import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe } from 'vitest';
import { engineTargets } from '../../tests/support/engines.ts';
import { connectSearch } from '../engine/connect.ts';
import type { SearchClient } from '../engine/searchClient.ts';
import { openEmbeddedListStores } from './embeddedListStore.ts';
import type { ListSink } from './keyedStore.ts';
import { listStoreContract } from '../../tests/contracts/listStoreContract.ts';
import { openEngineListStores } from './engineListStore.ts';

describe('list stores contract: embedded (SQLite file)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lists-'));
  const opened: ListSink[] = [];
  let n = 0;
  afterAll(async () => {
    for (const s of opened) await s.close();
    rmSync(dir, { recursive: true, force: true });
  });
  listStoreContract(() => {
    const s = openEmbeddedListStores(join(dir, `lists-${n++}.db`));
    opened.push(s);
    return Promise.resolve(s);
  });
});

describe.each(engineTargets())('list stores contract: search engine on $label', ({ url }) => {
  const run = `t${Math.random().toString(36).slice(2, 8)}`;
  let client: SearchClient | undefined;
  const indexes: string[] = [];
  let n = 0;
  afterAll(async () => {
    if (!client) return;
    await client.deleteIndex([...indexes, `${run}_projection_checkpoints`], { ignoreMissing: true });
    await client.close();
  });
  listStoreContract(async () => {
    client ??= await connectSearch(url);
    // Each case its own prefix (fresh indexes); the checkpoint index is per prefix too.
    const prefix = `${run}_${n++}_`;
    const s = openEngineListStores(client, { prefix });
    await s.ensureIndexes();
    indexes.push(...s.indexes, `${prefix}projection_checkpoints`);
    return s;
  });
});
