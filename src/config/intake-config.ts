import { z } from 'zod';

/** Largest export accepted by default: 200 MiB. */
export const DEFAULT_INTAKE_MAX_BYTES = 200 * 1024 * 1024;

/** How schools' exports are received (`ejsync upload`, `POST /api/links/{id}/exports`): the `intake` section of `config.json`. */
export const intakeConfigSchema = z.object({
  /**
   * Largest export accepted, in bytes (a folder counts as its ZIP). Larger uploads are refused with `intake.too_large`.
   * @defaultValue 209715200 (200 MiB)
   */
  maxBytes: z.number().int('intake.maxBytes: целое число байтов').positive('intake.maxBytes: больше нуля').default(DEFAULT_INTAKE_MAX_BYTES),
});
export type IntakeConfig = z.infer<typeof intakeConfigSchema>;

/** The intake settings of a loaded configuration, defaults filled in. */
export const intakeConfigOf = (config: { intake?: IntakeConfig }): IntakeConfig => config.intake ?? intakeConfigSchema.parse({});
