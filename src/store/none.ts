/**
 * A value no id, status or school id ever takes: `IN (…)` with an empty list is not valid SQL,
 * so an empty filter becomes `IN (NONE)`, which matches nothing.
 */
export const NONE = '~none~';
