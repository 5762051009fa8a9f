'use strict';
/**
 * The school on Дневник.ру after a first sync was delivered: the onboarded roster and lessons
 * (onboardSchool) plus the works, marks and attendance the run created, with platform ids, and
 * the id map such a run leaves behind (every source record linked to its platform record).
 */

function deliveredPlatform(source, onboarded, ids) {
  const { platform, idOf } = onboarded;
  const id = (collection, sourceId) => {
    const key = `${collection}/${sourceId}`;
    let v = idOf.get(key);
    if (!v) idOf.set(key, (v = ids.take()));
    return v;
  };
  const known = (collection, sourceId) => idOf.get(`${collection}/${sourceId}`);
  const opt = (collection, sourceId) => (sourceId === undefined ? undefined : known(collection, sourceId));
  // Works and marks name a group without its kind: a class first, then a subgroup (as reconcile does).
  const group = (sourceId) => known('classes', sourceId) ?? known('subgroups', sourceId);

  const delivered = { ...platform };
  delivered.works = source.works.map((w) => ({ ...w, sourceId: id('works', w.sourceId), groupId: group(w.groupId), subjectId: known('subjects', w.subjectId), lessonId: opt('lessons', w.lessonId) }));
  delivered.marks = source.marks.map((m) => ({
    ...m,
    sourceId: id('marks', m.sourceId),
    pupilId: known('pupils', m.pupilId),
    subjectId: known('subjects', m.subjectId),
    groupId: group(m.groupId),
    workId: opt('works', m.workId),
    lessonId: opt('lessons', m.lessonId),
    periodId: opt('periods', m.periodId),
    teacherId: opt('staff', m.teacherId),
  }));
  delivered.attendance = source.attendance.map((a) => ({ ...a, sourceId: id('attendance', a.sourceId), pupilId: known('pupils', a.pupilId), lessonId: known('lessons', a.lessonId) }));
  return delivered;
}

/** Every link onboarding and delivery made, as id map entries (`classes/c011` → entity classes). */
function idMapEntriesOf(idOf) {
  const entries = [];
  for (const [key, targetId] of idOf) {
    const slash = key.indexOf('/');
    const entity = key.slice(0, slash);
    if (entity === 'school') continue;
    entries.push({ entity, sourceId: key.slice(slash + 1), targetId });
  }
  return entries;
}

module.exports = { deliveredPlatform, idMapEntriesOf };
