/**
 * The mark systems the emulator lists at `GET marks/values`, as `{type: values}`. `mark5` is the
 * published example of the Swagger description (`"mark5": ["1-","1","1+", … "5-","5","5+"]`,
 * Den4ikSuperOstryyPer4ik/SchoolMosregRuAPI `api/methods.py`, MarkValues_GetAll); `mark10` is an
 * assumption (1–10 without `+`/`−`) for rehearsing a school on another system.
 */
export const EMULATOR_MARK_SYSTEMS: Readonly<Record<string, readonly string[]>> = {
  mark5: ['1-', '1', '1+', '2-', '2', '2+', '3-', '3', '3+', '4-', '4', '4+', '5-', '5', '5+'],
  mark10: ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10'],
};

/** The system a school uses unless told otherwise. */
export const DEFAULT_EMULATOR_MARK_TYPE = 'mark5';
