import { z } from 'zod';
import { sourceIdSchema } from './ids';
import { personFieldsSchema } from './person-fields';

export const staffSchema = personFieldsSchema.extend({
  sourceId: sourceIdSchema,
  /** `учитель`, `заместитель директора по УВР`, … */
  position: z.string().trim().optional(),
});
export type Staff = z.infer<typeof staffSchema>;

/**
 * A pupil. The birth date is optional here because some exchange formats make it optional
 * (OneRoster's demographics.csv); a format that requires it says so in its own file spec (the МИС
 * export's pupils.csv does). Without it a pupil is matched only by СНИЛС, ЕСИА oid or a
 * confirmed name match.
 */
export const pupilSchema = personFieldsSchema.extend({
  sourceId: sourceIdSchema,
});
export type Pupil = z.infer<typeof pupilSchema>;

/** A parent or other legal representative (законный представитель). */
export const guardianSchema = personFieldsSchema.extend({
  sourceId: sourceIdSchema,
});
export type Guardian = z.infer<typeof guardianSchema>;

export const guardianRelationSchema = z.enum(['mother', 'father', 'guardian', 'other']);
export type GuardianRelation = z.infer<typeof guardianRelationSchema>;

export const guardianLinkSchema = z.object({
  sourceId: sourceIdSchema,
  guardianId: sourceIdSchema,
  pupilId: sourceIdSchema,
  relation: guardianRelationSchema,
});
export type GuardianLink = z.infer<typeof guardianLinkSchema>;
