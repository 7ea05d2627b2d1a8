import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { versionCheckpointName, nextVersion, previousVersion, swapActions, versionedName, versionOf, versionsOf } from './indexVersions.ts';

const alias = fc.stringMatching(/^[a-z][a-z0-9_]{0,12}$/);

describe('index version names', () => {
  it('versionOf reads back what versionedName writes, for any alias and version', () => {
    fc.assert(
      fc.property(alias, fc.integer({ min: 1, max: 99_999_999 }), (a, v) => {
        expect(versionOf(a, versionedName(a, v))).toBe(v);
      }),
    );
  });

  it('versionOf refuses names that are not <alias>_v<N> of that alias', () => {
    expect(versionOf('jobs', 'jobs')).toBeUndefined();
    expect(versionOf('jobs', 'jobs_v0')).toBeUndefined();
    expect(versionOf('jobs', 'jobs_v01')).toBeUndefined();
    expect(versionOf('jobs', 'jobs_v2x')).toBeUndefined();
    expect(versionOf('jobs', 't1_jobs_v2')).toBeUndefined();
    // A prefixed deployment's index is not a version of the unprefixed alias, nor the other way round.
    expect(versionOf('t1_jobs', 'jobs_v2')).toBeUndefined();
    expect(versionOf('saved_jobs', 'saved_jobs_v3')).toBe(3);
    expect(versionOf('jobs', 'saved_jobs_v3')).toBeUndefined();
  });

  it('versionedName refuses a version below 1 or not an integer', () => {
    expect(() => versionedName('jobs', 0)).toThrow(RangeError);
    expect(() => versionedName('jobs', 1.5)).toThrow(RangeError);
  });

  it('the next version is one above every existing version, so a kept or abandoned index is never reused', () => {
    expect(nextVersion('jobs', [])).toBe(1);
    expect(nextVersion('jobs', ['jobs_v1'])).toBe(2);
    expect(nextVersion('jobs', ['jobs_v1', 'jobs_v3', 'saved_jobs_v9', 'jobs_backup'])).toBe(4);
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: 1000 }), { maxLength: 20 }), (vs) => {
        const next = nextVersion('jobs', vs.map((v) => versionedName('jobs', v)));
        expect(vs).not.toContain(next);
        expect(next).toBe(Math.max(0, ...vs) + 1);
      }),
    );
  });

  it('the rollback target is the highest version below the live one', () => {
    const names = ['jobs_v1', 'jobs_v2', 'jobs_v4', 'other_v3'];
    expect(previousVersion('jobs', names, 4)).toBe(2);
    expect(previousVersion('jobs', names, 2)).toBe(1);
    expect(previousVersion('jobs', names, 1)).toBeUndefined();
    expect(versionsOf('jobs', names)).toEqual([1, 2, 4]);
  });
});

describe('alias swap actions', () => {
  it('move every alias in one list: remove the old index and add the new one, in that order per alias', () => {
    expect(
      swapActions([
        { alias: 'jobs', from: 'jobs_v1', to: 'jobs_v2' },
        { alias: 'applications', from: 'applications_v1', to: 'applications_v2' },
      ]),
    ).toEqual([
      { remove: { index: 'jobs_v1', alias: 'jobs' } },
      { add: { index: 'jobs_v2', alias: 'jobs' } },
      { remove: { index: 'applications_v1', alias: 'applications' } },
      { add: { index: 'applications_v2', alias: 'applications' } },
    ]);
  });

  it('leave an alias already on its target alone and only add one that has no index yet', () => {
    expect(swapActions([{ alias: 'jobs', from: 'jobs_v2', to: 'jobs_v2' }])).toEqual([]);
    expect(swapActions([{ alias: 'jobs', to: 'jobs_v1' }])).toEqual([{ add: { index: 'jobs_v1', alias: 'jobs' } }]);
  });

  it('after the actions every alias points to exactly its target (any moves)', () => {
    const move = fc.record({ alias, from: fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined }), to: fc.integer({ min: 1, max: 5 }) });
    fc.assert(
      fc.property(fc.uniqueArray(move, { selector: (m) => m.alias, maxLength: 6 }), (moves) => {
        const state = new Map<string, Set<string>>();
        const concrete = moves.map((m) => ({ alias: m.alias, ...(m.from !== undefined ? { from: versionedName(m.alias, m.from) } : {}), to: versionedName(m.alias, m.to) }));
        for (const m of concrete) state.set(m.alias, new Set(m.from !== undefined ? [m.from] : []));
        for (const a of swapActions(concrete)) {
          if ('add' in a) state.get(a.add.alias)!.add(a.add.index);
          if ('remove' in a) state.get(a.remove.alias)!.delete(a.remove.index);
        }
        for (const m of concrete) expect([...state.get(m.alias)!]).toEqual([m.to]);
      }),
    );
  });

  it('names the checkpoint of a version after the projection and the version', () => {
    expect(versionCheckpointName('jobs', 2)).toBe('jobs@v2');
  });
});
