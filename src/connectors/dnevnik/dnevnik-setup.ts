import type { DnevnikPlatformConfig } from '../../config/platform-config';
import type { DnevnikValueMaps } from '../../mappers/dnevnik';

/** The value tables of the platform config, as the mappers take them. */
export function valueMapsOf(config: DnevnikPlatformConfig): DnevnikValueMaps {
  return { attendanceStatuses: config.attendanceStatuses, periodTypes: config.periodTypes, markValues: config.markValues, markSystemValues: config.markSystemValues, workTypes: config.workTypes };
}
