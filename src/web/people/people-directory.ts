import type { PersonRef, RosterPupil, SchoolRoster } from '../../reconcile/change-context';
import type { Store } from '../../store';

/** Rosters opened once per refresh (a roster is opened from its sealed copy, then kept in memory). */
const CACHE_LIMIT = 64;

/**
 * The school rosters of links as the dashboard reads them: opened from the store's sealed copy
 * (one decryption per roster and refresh), kept for a while in this process.
 */
export class PeopleDirectory {
  private readonly cache = new Map<string, { at: number; roster: SchoolRoster | null }>();

  constructor(private readonly store: Store) {}

  async roster(linkId: string): Promise<SchoolRoster | null> {
    const version = (await this.store.rosters.versions([linkId])).get(linkId)?.getTime() ?? 0;
    const hit = this.cache.get(linkId);
    if (hit && hit.at === version) return hit.roster;
    const stored = version ? await this.store.rosters.get<SchoolRoster>(linkId) : null;
    const roster = stored?.roster ?? null;
    this.cache.delete(linkId);
    this.cache.set(linkId, { at: version, roster });
    if (this.cache.size > CACHE_LIMIT) this.cache.delete(this.cache.keys().next().value!);
    return roster;
  }

  /** Names of the schools (by school id) from the rosters: not personal, shown to everyone. */
  async schoolNames(): Promise<Map<string, string>> {
    return this.store.rosters.schoolNames();
  }
}

/** Russian words for a person whose name is hidden. */
const HIDDEN_NAME: Record<PersonRef['entity'], string> = { pupils: 'обучающийся', staff: 'сотрудник', guardians: 'законный представитель' };

/**
 * People of one school as one reader may see them: names for the school's own staff, a masked
 * form («обучающийся 5А, ФИО скрыто») for everyone else.
 */
export class PeopleView {
  constructor(
    readonly roster: SchoolRoster | null,
    readonly showNames: boolean,
  ) {}

  /** The pupil's roster entry by МИС id (or platform id). */
  pupil(ref: { sourceId?: string; targetId?: string }): (RosterPupil & { sourceId?: string }) | undefined {
    const r = this.roster;
    if (!r) return undefined;
    const sourceId = ref.sourceId ?? (ref.targetId ? r.platform[ref.targetId]?.sourceId : undefined);
    if (sourceId && r.pupils[sourceId]) return { ...r.pupils[sourceId], sourceId };
    const onPlatform = ref.targetId ? r.platform[ref.targetId] : undefined;
    return onPlatform?.name ? { name: onPlatform.name } : undefined;
  }

  /** `Иванов Пётр Сергеевич, 5А`, or `обучающийся 5А (ФИО скрыто)`. */
  name(ref: PersonRef): string {
    const r = this.roster;
    if (ref.entity === 'pupils') {
      const p = this.pupil(ref);
      if (!p) return `${HIDDEN_NAME.pupils} ${ref.sourceId ? `(код ${ref.sourceId})` : 'не найден в списках школы'}`;
      if (!this.showNames) return `${HIDDEN_NAME.pupils}${p.className ? ` ${p.className}` : ''} (ФИО скрыто)`;
      return `${p.name}${p.className ? `, ${p.className}` : ''}`;
    }
    const sourceId = ref.sourceId ?? (ref.targetId ? r?.platform[ref.targetId]?.sourceId : undefined);
    const entry = sourceId ? r?.[ref.entity][sourceId] : undefined;
    const name = entry?.name ?? (ref.targetId ? r?.platform[ref.targetId]?.name : undefined);
    if (!name) return HIDDEN_NAME[ref.entity];
    if (!this.showNames) return `${HIDDEN_NAME[ref.entity]} (ФИО скрыто)`;
    return name;
  }
}
