import { ENTITY_ORDER, makeFinding, type EntityCollection, type Finding, type Snapshot } from '../model';
import type { IdMapView } from './id-map-view';
import { MATCH_RULES, type MatchMethod } from './natural-keys';
import { REFERENCE_FIELDS, resolveReference, type AnyRecord, type ReferenceField } from './references';

/** A link between a source record and a platform record found by this run. */
export interface IdMatch {
  entity: EntityCollection;
  sourceId: string;
  targetId: string;
  method: MatchMethod;
}

/**
 * The links of one collection. Links are kept by position (`targetOf[i]` is the platform record of
 * the i-th source record) so that millions of marks cost no map per link; the id-keyed maps are
 * built on first use, which only collections that others refer to need.
 */
export class EntityMatches {
  /** Per source record (in the Snapshot's order), its platform record. */
  readonly targetOf: (AnyRecord | undefined)[];
  /** Per platform record (in the Snapshot's order), the index of its source record, or -1. */
  readonly sourceIndexOfTarget: Int32Array;
  /** How many links came from the id map (the rest are in `MatchResult.matches`). */
  linkedByIdMap = 0;
  /** Source ids with several plausible platform records: never guessed, never created. */
  readonly ambiguous = new Set<string>();
  /** Platform ids that are candidates of an ambiguous match: a human decides, so they are never archived. */
  readonly ambiguousTargets = new Set<string>();
  private s2t?: Map<string, string>;
  private t2s?: Map<string, string>;

  constructor(
    readonly sources: readonly AnyRecord[],
    readonly targets: readonly AnyRecord[],
  ) {
    this.targetOf = new Array<AnyRecord | undefined>(sources.length);
    this.sourceIndexOfTarget = new Int32Array(targets.length).fill(-1);
  }

  link(sourceIndex: number, targetIndex: number): void {
    this.targetOf[sourceIndex] = this.targets[targetIndex];
    this.sourceIndexOfTarget[targetIndex] = sourceIndex;
    this.s2t = this.t2s = undefined;
  }

  isSourceLinked(sourceIndex: number): boolean {
    return this.targetOf[sourceIndex] !== undefined;
  }

  isTargetLinked(targetIndex: number): boolean {
    return this.sourceIndexOfTarget[targetIndex] >= 0;
  }

  /** Source id → platform id. */
  get sourceToTarget(): ReadonlyMap<string, string> {
    if (!this.s2t) {
      this.s2t = new Map();
      this.targetOf.forEach((t, i) => t && this.s2t!.set(this.sources[i].sourceId, t.sourceId));
    }
    return this.s2t;
  }

  /** Platform id → source id. */
  get targetToSource(): ReadonlyMap<string, string> {
    if (!this.t2s) {
      this.t2s = new Map();
      this.sourceIndexOfTarget.forEach((si, ti) => si >= 0 && this.t2s!.set(this.targets[ti].sourceId, this.sources[si].sourceId));
    }
    return this.t2s;
  }
}

export interface MatchResult {
  /** Links found by natural keys in this run (the id map's own links are not repeated): what to persist. */
  matches: IdMatch[];
  findings: Finding[];
  byEntity: Record<EntityCollection, EntityMatches>;
}

export interface MatchOptions {
  /**
   * Collections to match; the others are left empty (e.g. those the platform cannot read).
   * @defaultValue every collection of `ENTITY_ORDER`
   */
  entities?: readonly EntityCollection[];
}

const MAX_CANDIDATES_SHOWN = 5;

type Bucket = number | number[];
function addToBucket(map: Map<string, Bucket>, k: string, i: number): void {
  const b = map.get(k);
  if (b === undefined) map.set(k, i);
  else if (Array.isArray(b)) b.push(i);
  else map.set(k, [b, i]);
}
const asList = (b: Bucket): number[] => (Array.isArray(b) ? b : [b]);

/**
 * Links source records to platform records, collection by collection in dependency order: first
 * through the id map, then by natural keys (people by СНИЛС, oid ЕСИА, then name + birth date;
 * classes by name within the year; lessons by group, date and number; …). A natural key is used
 * only when it is unique on both sides; otherwise the source record gets a
 * `reconcile.ambiguous_match` finding and is left alone. References inside keys are compared in
 * the platform's id space, translated through the links found for earlier collections.
 */
export function matchEntities(source: Snapshot, target: Snapshot, idMap: IdMapView, options: MatchOptions = {}): MatchResult {
  const wanted = new Set(options.entities ?? ENTITY_ORDER);
  const byEntity = {} as Record<EntityCollection, EntityMatches>;
  for (const entity of ENTITY_ORDER)
    byEntity[entity] = wanted.has(entity)
      ? new EntityMatches(source[entity] as unknown as AnyRecord[], target[entity] as unknown as AnyRecord[])
      : new EntityMatches([], []);
  const matches: IdMatch[] = [];
  const findings: Finding[] = [];
  const lookup = (entity: EntityCollection, id: string) => byEntity[entity].sourceToTarget.get(id);

  for (const entity of ENTITY_ORDER) {
    if (!wanted.has(entity)) continue;
    const em = byEntity[entity];
    const sources = em.sources;
    const targets = em.targets;

    const link = (si: number, ti: number, method: MatchMethod) => {
      em.link(si, ti);
      matches.push({ entity, sourceId: sources[si].sourceId, targetId: targets[ti].sourceId, method });
    };

    let unmatchedSources: number[] = [];
    if (targets.length > 0) {
      const targetIndexById = new Map<string, number>();
      for (let i = 0; i < targets.length; i++) targetIndexById.set(targets[i].sourceId, i);
      for (let si = 0; si < sources.length; si++) {
        const tid = idMap.targetId(entity, sources[si].sourceId);
        const ti = tid === undefined ? undefined : targetIndexById.get(tid);
        // A damaged id map may link two source records to one platform record: the first keeps it.
        if (ti === undefined || em.isTargetLinked(ti)) unmatchedSources.push(si);
        else {
          em.link(si, ti);
          em.linkedByIdMap++;
        }
      }
    } else for (let si = 0; si < sources.length; si++) unmatchedSources.push(si);
    let unmatchedTargets: number[] = [];
    if (em.linkedByIdMap < targets.length) for (let ti = 0; ti < targets.length; ti++) if (!em.isTargetLinked(ti)) unmatchedTargets.push(ti);

    const refFields = new Map<string, ReferenceField>(REFERENCE_FIELDS[entity].map((r) => [r.field, r]));
    const sourceRef = (s: AnyRecord) => (field: string) => {
      const ref = refFields.get(field);
      return ref ? resolveReference(ref, s, lookup)?.id : undefined;
    };
    const targetRef = (t: AnyRecord) => (field: string) => {
      const v = t[field];
      return typeof v === 'string' && v !== '' ? v : undefined;
    };

    const rules = MATCH_RULES[entity];
    const compatible = rules.compatible ?? (() => true);
    const roundMaps: Map<string, Bucket>[] = [];
    const pending: { si: number; round: number; key: string }[] = [];

    rules.rounds.forEach((round, roundIndex) => {
      const tmap = new Map<string, Bucket>();
      roundMaps.push(tmap);
      if (roundIndex > 0) {
        unmatchedSources = unmatchedSources.filter((si) => !em.isSourceLinked(si));
        unmatchedTargets = unmatchedTargets.filter((ti) => !em.isTargetLinked(ti));
      }
      if (unmatchedSources.length === 0 || unmatchedTargets.length === 0) return;
      for (const ti of unmatchedTargets) {
        const k = round.key(targets[ti], targetRef(targets[ti]));
        if (k !== undefined) addToBucket(tmap, k, ti);
      }
      if (tmap.size === 0) return;
      // Only keys present on the platform side are grouped, so a first migration into an empty
      // platform costs one key per source record and no map of them.
      const smap = new Map<string, Bucket>();
      for (const si of unmatchedSources) {
        const k = round.key(sources[si], sourceRef(sources[si]));
        if (k !== undefined && tmap.has(k)) addToBucket(smap, k, si);
      }
      const automatic = round.automatic ?? true;
      for (const [k, sb] of smap) {
        const ss = asList(sb);
        const tt = asList(tmap.get(k)!);
        if (automatic) {
          if (ss.length === 1 && tt.length === 1) {
            if (compatible(sources[ss[0]], targets[tt[0]])) {
              link(ss[0], tt[0], round.method);
              continue;
            }
          } else if (rules.compatible) {
            // Small groups of people: a unique compatible pair still matches (namesakes with different СНИЛС).
            for (const si of ss) {
              const cands = tt.filter((ti) => !em.isTargetLinked(ti) && compatible(sources[si], targets[ti]));
              if (cands.length !== 1) continue;
              const back = ss.filter((o) => !em.isSourceLinked(o) && compatible(sources[o], targets[cands[0]]));
              if (back.length === 1) link(si, cands[0], round.method);
            }
          }
        }
        for (const si of ss) if (!em.isSourceLinked(si)) pending.push({ si, round: roundIndex, key: k });
      }
    });

    // Each group of candidates is walked once per record for people (compatibility depends on the
    // person) and once in all for other collections, so a large group of look-alikes stays linear.
    const walkedGroups = new Map<string, string[]>();
    for (const { si, round, key } of pending) {
      const s = sources[si];
      if (em.isSourceLinked(si) || em.ambiguous.has(s.sourceId)) continue;
      const groupKey = `${round}\u0001${key}`;
      let candidates = rules.compatible ? undefined : walkedGroups.get(groupKey);
      if (!candidates) {
        candidates = [];
        for (const ti of asList(roundMaps[round].get(key)!)) {
          if (em.isTargetLinked(ti) || !compatible(s, targets[ti])) continue;
          candidates.push(targets[ti].sourceId);
          em.ambiguousTargets.add(targets[ti].sourceId);
        }
        if (!rules.compatible) walkedGroups.set(groupKey, candidates);
      }
      if (candidates.length === 0) continue;
      em.ambiguous.add(s.sourceId);
      const shown = candidates.slice(0, MAX_CANDIDATES_SHOWN).join(', ') + (candidates.length > MAX_CANDIDATES_SHOWN ? ', …' : '');
      const why = rules.rounds[round].ambiguityDetail ?? 'несколько подходящих записей';
      findings.push(makeFinding('reconcile.ambiguous_match', { entity, sourceId: s.sourceId, detail: `${why}; кандидаты на платформе: ${shown}` }));
    }
  }
  return { matches, findings, byEntity };
}
