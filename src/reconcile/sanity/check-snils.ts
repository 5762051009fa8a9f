import { ENTITY_LABELS, nameKey, normalizeSnils, type EntityCollection, type Finding, type Guardian, type Pupil, type Staff } from '../../model';
import type { SanityContext } from './context';

type PersonCollection = Extract<EntityCollection, 'staff' | 'pupils' | 'guardians'>;

interface Holder {
  entity: PersonCollection;
  person: Staff | Pupil | Guardian;
}

/** Staff, pupils, guardians: the order in which the first holder of a number is kept. */
const PEOPLE: readonly PersonCollection[] = ['staff', 'pupils', 'guardians'];

/**
 * One human in two roles (a teacher who is also a parent at the school): same name key and no
 * conflicting birth date. Compared in memory only; never printed.
 */
function samePerson(a: Holder, b: Holder): boolean {
  if (a.entity === b.entity) return false;
  if (nameKey(a.person) !== nameKey(b.person)) return false;
  return a.person.birthDate == null || b.person.birthDate == null || a.person.birthDate === b.person.birthDate;
}

/**
 * `sanity.duplicate_snils`: one normalised СНИЛС on two different people among staff, pupils and
 * guardians. The first holder (staff, then pupils, then guardians, in snapshot order) is kept; each
 * further holder is reported with its own id and the id of the record it clashes with. Two records
 * in one collection always clash; across collections the same person in two roles does not.
 * The number itself and the names never reach the finding (152-ФЗ).
 */
export function checkDuplicateSnils(ctx: SanityContext): Finding[] {
  const holders = new Map<string, Holder[]>();
  const findings: Finding[] = [];
  for (const entity of PEOPLE) {
    for (const person of ctx.snapshot[entity]) {
      if (person.snils == null) continue;
      const snils = normalizeSnils(person.snils);
      if (snils === null) continue;
      const holder: Holder = { entity, person };
      const earlier = holders.get(snils);
      if (!earlier) {
        holders.set(snils, [holder]);
        continue;
      }
      const clash = earlier.find((e) => !samePerson(e, holder));
      earlier.push(holder);
      if (!clash) continue;
      findings.push(
        ctx.finding('sanity.duplicate_snils', {
          entity,
          sourceId: person.sourceId,
          field: 'snils',
          detail: `запись ${person.sourceId} («${ENTITY_LABELS[entity]}») имеет тот же СНИЛС, что и запись ${clash.person.sourceId} («${ENTITY_LABELS[clash.entity]}»)`,
        }),
      );
    }
  }
  return findings;
}
