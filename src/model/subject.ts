import { z } from 'zod';
import { sourceIdSchema } from './ids';

export const subjectSchema = z.object({
  sourceId: sourceIdSchema,
  name: z.string().trim().min(1),
  shortName: z.string().trim().optional(),
  /** ФГОС subject code where the МИС has one. */
  fgosCode: z.string().trim().optional(),
});
export type Subject = z.infer<typeof subjectSchema>;
