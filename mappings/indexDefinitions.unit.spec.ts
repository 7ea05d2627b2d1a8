import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { WorkerProfile } from '../eventstore/events/index.ts';
import type { ListModelName } from './listIndexes.ts';
import { defaultWeights } from '../query/match/matchScore.ts';
import { JOBS_INDEX_VERSION, jobsAliasName, jobsIndexDefinition, jobsIndexName, jobsMappings, jobsSettings } from './jobsIndex.ts';
import { LIST_INDEX_VERSION, listAliasName, listIndexDefinition, listIndexName, listMappingAdditions, listMappings } from './listIndexes.ts';
import { matchScoreParams, matchScoreQuery } from '../query/match/matchScoreQuery.ts';
import { MATCH_SCORE_SCRIPT } from './matchScoreScript.ts';

const models: readonly ListModelName[] = ['applications', 'saved_jobs', 'saved_searches', 'job_stats'];
const notAVersion = fc.oneof(fc.integer({ max: 0 }), fc.double({ noInteger: true }), fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY));

describe('index names', () => {
  it('name the jobs alias and its versioned indexes, with the prefix in front', () => {
    expect(jobsAliasName()).toBe('jobs');
    expect(jobsAliasName('t1_')).toBe('t1_jobs');
    expect(jobsIndexName()).toBe(`jobs_v${JOBS_INDEX_VERSION}`);
    expect(jobsIndexName(7, 't1_')).toBe('t1_jobs_v7');
  });

  it('name each list model’s alias and versioned index, with the prefix in front', () => {
    for (const model of models) {
      expect(listAliasName(model)).toBe(model);
      expect(listAliasName(model, 'p_')).toBe(`p_${model}`);
      expect(listIndexName(model)).toBe(`${model}_v${LIST_INDEX_VERSION}`);
      expect(listIndexName(model, 3, 'p_')).toBe(`p_${model}_v3`);
    }
  });

  it('refuse a version that is not a positive integer', () => {
    fc.assert(
      fc.property(notAVersion, fc.constantFrom(...models), (version, model) => {
        expect(() => jobsIndexName(version)).toThrow(RangeError);
        expect(() => listIndexName(model, version)).toThrow(RangeError);
      }),
    );
  });
});

describe('the jobs index definition', () => {
  it('defaults to one shard, no replica and the engine’s refresh interval', () => {
    const settings = jobsSettings();
    expect(settings).toMatchObject({ number_of_shards: 1, number_of_replicas: 0 });
    expect(settings).not.toHaveProperty('refresh_interval');
  });

  it('takes shards, replicas and a refresh interval when given', () => {
    expect(jobsSettings({ shards: 3, replicas: 2, refreshInterval: '-1' })).toMatchObject({ number_of_shards: 3, number_of_replicas: 2, refresh_interval: '-1' });
  });

  it('defines every analyzer and normalizer its mapping names', () => {
    const analysis = jobsSettings().analysis as { analyzer: Record<string, unknown>; normalizer: Record<string, unknown> };
    const named = JSON.stringify(jobsMappings).match(/"(?:analyzer|search_analyzer|normalizer)":"[^"]+"/g) ?? [];
    for (const entry of named) {
      const [kind, name] = entry.replaceAll('"', '').split(':') as [string, string];
      if (name === 'english') continue; // built into the engine
      expect(kind === 'normalizer' ? analysis.normalizer : analysis.analyzer).toHaveProperty(name);
    }
    expect(named.length).toBeGreaterThan(0);
  });

  it('is created behind an alias only when one is given', () => {
    expect(jobsIndexDefinition()).not.toHaveProperty('aliases');
    expect(jobsIndexDefinition({ alias: 'jobs' })).toMatchObject({ aliases: { jobs: {} }, mappings: jobsMappings });
  });
});

describe('the list index definitions', () => {
  it('are strict: a field the mapping does not know is a write error', () => {
    for (const model of models) expect(listMappings(model)).toMatchObject({ dynamic: 'strict', _source: { enabled: true } });
  });

  it('carry the bookkeeping fields in every model', () => {
    for (const model of models) {
      expect(listMappings(model).properties).toMatchObject({ key: { type: 'keyword' }, deleted: { type: 'boolean' }, position: { type: 'long' } });
    }
  });

  it('add fields in place only to saved searches and applications, and exactly as the mapping defines them', () => {
    for (const model of models) {
      const additions = listMappingAdditions(model);
      if (model !== 'saved_searches' && model !== 'applications') {
        expect(additions).toBeUndefined();
        continue;
      }
      expect(additions).toBeDefined();
      const properties = listMappings(model).properties as Record<string, unknown>;
      for (const [field, definition] of Object.entries(additions!)) expect(properties[field]).toEqual(definition);
    }
  });

  it('keep the contact a worker shared with an application out of every index: stored, never searchable', () => {
    expect((listMappings('applications').properties as Record<string, unknown>).contact).toEqual({ type: 'object', enabled: false });
  });

  it('give saved searches the jobs fields and analysis, so a job document percolates against them', () => {
    const definition = listIndexDefinition('saved_searches', { shards: 2, replicas: 1 });
    expect(definition.settings).toEqual(jobsSettings({ shards: 2, replicas: 1 }));
    const properties = definition.mappings?.properties as Record<string, unknown>;
    expect(properties.percolator).toEqual({ type: 'percolator' });
    for (const field of ['title', 'description', 'skills', 'location', 'category']) {
      expect(properties[field]).toEqual((jobsMappings.properties as Record<string, unknown>)[field]);
    }
  });

  it('give the other models plain settings: one shard and no replica unless told', () => {
    for (const model of models.filter((m) => m !== 'saved_searches')) {
      expect(listIndexDefinition(model).settings).toEqual({ number_of_shards: 1, number_of_replicas: 0 });
      expect(listIndexDefinition(model, { shards: 4, replicas: 2 }).settings).toEqual({ number_of_shards: 4, number_of_replicas: 2 });
    }
  });

  it('are created behind an alias only when one is given', () => {
    expect(listIndexDefinition('applications')).not.toHaveProperty('aliases');
    expect(listIndexDefinition('applications', { alias: 'applications' }).aliases).toEqual({ applications: {} });
  });
});

describe('the match score script params', () => {
  const worker: WorkerProfile = {
    name: 'Ana',
    skills: ['Cooking', 'cooking', 'Forklift'],
    location: { lat: 45.5, lon: -73.6 },
    maxTravelKm: 25,
    desiredHourlyPay: 20,
    currency: 'USD',
    availability: [
      { from: '2026-07-01', to: '2026-07-10' },
      { from: '2026-07-05', to: '2026-07-20' },
    ],
    experienceYears: 3,
  };
  const now = new Date('2026-06-15T12:00:00Z');
  const day = (iso: string) => Date.parse(iso) / 86_400_000;

  it('carry the worker’s skills lowercased once each, place, pay, merged windows and the weights', () => {
    expect(matchScoreParams(worker, defaultWeights, now)).toEqual({
      workerSkills: ['cooking', 'forklift'],
      hasLocation: true,
      lat: 45.5,
      lon: -73.6,
      maxTravelKm: 25,
      desiredPay: 20,
      windows: [day('2026-07-01'), day('2026-07-20')],
      experienceYears: 3,
      nowDay: day('2026-06-15'),
      horizonDays: 90,
      wSkills: 0.35,
      wDistance: 0.25,
      wPay: 0.2,
      wAvailability: 0.1,
      wExperience: 0.1,
    });
  });

  it('say when the worker has no place or desired pay', () => {
    const { location: _location, desiredHourlyPay: _pay, ...rest } = worker;
    const params = matchScoreParams(rest, defaultWeights, now);
    expect(params).toMatchObject({ hasLocation: false, lat: 0, lon: 0, desiredPay: 0 });
  });

  it('refuse weights that do not sum to 1', () => {
    expect(() => matchScoreParams(worker, { ...defaultWeights, skills: 0.9 }, now)).toThrow(/sum to 1/);
  });

  it('make a script_score query over the given query, match_all by default, with the script as a constant', () => {
    const all = matchScoreQuery(worker, defaultWeights, now) as { script_score: { query: unknown; script: { source: string; params: unknown } } };
    expect(all.script_score.query).toEqual({ match_all: {} });
    expect(all.script_score.script.source).toBe(MATCH_SCORE_SCRIPT);
    expect(all.script_score.script.params).toEqual(matchScoreParams(worker, defaultWeights, now));
    const some = matchScoreQuery(worker, defaultWeights, now, { term: { status: 'open' } }) as { script_score: { query: unknown } };
    expect(some.script_score.query).toEqual({ term: { status: 'open' } });
  });

  it('never splice a worker’s values into the script source', () => {
    const odd = { ...worker, skills: ["'; return 100; //"] };
    expect((matchScoreQuery(odd, defaultWeights, now) as { script_score: { script: { source: string } } }).script_score.script.source).toBe(MATCH_SCORE_SCRIPT);
  });
});
