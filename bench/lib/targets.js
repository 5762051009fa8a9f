'use strict';

/** Issue 3: importing a 100,000-pupil school on a 2-core machine. */
const IMPORT_TARGET = { pupils: 100_000, seconds: 60, peakRssMiB: 1.5 * 1024 };

/** "met" / "MISSED" for a measured median against a limit. */
const verdict = (value, limit) => (value <= limit ? 'met' : 'MISSED');

module.exports = { IMPORT_TARGET, verdict };
