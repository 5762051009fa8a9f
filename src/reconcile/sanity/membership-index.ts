import type { GroupKind, Membership, Snapshot } from '../../model';

/** One pupil's memberships, by group id, separately for classes and subgroups. */
interface PupilMemberships {
  classes: Map<string, Membership[]>;
  subgroups: Map<string, Membership[]>;
}

/**
 * Memberships of a Snapshot indexed pupil → group → date ranges, so "was this pupil in this
 * group on that day" costs two map look-ups and a scan of the (one or two) ranges the pupil has
 * in that group — the question is asked once per mark and per absence.
 */
export class MembershipIndex {
  private readonly byPupil = new Map<string, PupilMemberships>();
  private readonly rosteredSubgroups = new Set<string>();

  constructor(memberships: Snapshot['memberships']) {
    for (const m of memberships) {
      let entry = this.byPupil.get(m.pupilId);
      if (!entry) {
        entry = { classes: new Map(), subgroups: new Map() };
        this.byPupil.set(m.pupilId, entry);
      }
      const byGroup = m.groupKind === 'class' ? entry.classes : entry.subgroups;
      const list = byGroup.get(m.groupId);
      if (list) list.push(m);
      else byGroup.set(m.groupId, [m]);
      if (m.groupKind === 'subgroup') this.rosteredSubgroups.add(m.groupId);
    }
  }

  /** Whether the pupil has a membership of kind `kind` in group `groupId` covering `date`. */
  memberOn(pupilId: string, groupId: string, kind: GroupKind, date: string): boolean {
    const entry = this.byPupil.get(pupilId);
    if (!entry) return false;
    const list = (kind === 'class' ? entry.classes : entry.subgroups).get(groupId);
    if (!list) return false;
    for (const m of list) if (date >= m.startDate && (m.endDate == null || date <= m.endDate)) return true;
    return false;
  }

  /** Whether anybody at all is a member of subgroup `subgroupId` (the source carries its roster). */
  hasRoster(subgroupId: string): boolean {
    return this.rosteredSubgroups.has(subgroupId);
  }

  /** All class memberships of one pupil, in no particular order. */
  classMemberships(pupilId: string): Membership[] {
    const entry = this.byPupil.get(pupilId);
    if (!entry) return [];
    const out: Membership[] = [];
    for (const list of entry.classes.values()) out.push(...list);
    return out;
  }

  /** Ids of the pupils that have at least one membership. */
  pupilIds(): IterableIterator<string> {
    return this.byPupil.keys();
  }
}
