import type { EventType } from './catalog.ts';
import { eventCatalog } from './catalog.ts';
import { JobDraftedV1 } from './jobEvents.ts';
import { defaultAlertSettings } from './savedSearchAlerts.ts';
import { SearchSavedV1 } from './workerEvents.ts';

/** Lifts the data of `type` at version `from` to version `from + 1`. */
type Upcaster = (data: unknown) => unknown;

const upcasters: Partial<Record<EventType, Record<number, Upcaster>>> = {
  JobDrafted: {
    // v1 -> v2: a single pay amount became a min/max range with a currency.
    // Jobs drafted before the change were all posted in USD.
    1: (raw) => {
      const { pay, ...rest } = JobDraftedV1.parse(raw);
      return { ...rest, pay: { min: pay.amount, max: pay.amount, currency: 'USD', unit: pay.unit } };
    },
  },
  SearchSaved: {
    // v1 -> v2: alerts on meant "tell me at once", off meant never; the digest settings take their defaults.
    1: (raw) => {
      const { alerts, savedAt, ...rest } = SearchSavedV1.parse(raw);
      return { ...rest, ...defaultAlertSettings, alertFrequency: alerts ? 'instant' : 'off', savedAt };
    },
  },
};

export class UnknownEventVersionError extends Error {
  constructor(
    readonly type: string,
    readonly version: number,
  ) {
    super(`no upcaster for ${type} v${version}`);
  }
}

/** Brings stored data of any known version up to the catalog's current version. */
export function upcast(type: EventType, version: number, data: unknown): unknown {
  const current = eventCatalog[type].version;
  let value = data;
  for (let v = version; v < current; v++) {
    const step = upcasters[type]?.[v];
    if (!step) throw new UnknownEventVersionError(type, v);
    value = step(value);
  }
  if (version > current) throw new UnknownEventVersionError(type, version);
  return value;
}
