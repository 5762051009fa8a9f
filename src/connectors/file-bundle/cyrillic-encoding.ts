import iconv from 'iconv-lite';

/** Single-byte Cyrillic encodings a Russian file may come in, with the name an administrator knows. */
const CANDIDATES = [
  { encoding: 'windows-1251', label: 'Windows-1251' },
  { encoding: 'koi8-r', label: 'KOI8-R' },
  { encoding: 'cp866', label: 'CP866 (DOS)' },
  { encoding: 'iso-8859-5', label: 'ISO-8859-5' },
  { encoding: 'maccyrillic', label: 'MacCyrillic' },
] as const;

/** Letter frequencies of Russian text, per cent. */
const FREQUENCY: Record<string, number> = {
  о: 10.97, е: 8.45, а: 8.01, и: 7.35, н: 6.7, т: 6.26, с: 5.47, р: 4.73, в: 4.54, л: 4.4, к: 3.49,
  м: 3.21, д: 2.98, п: 2.81, у: 2.62, я: 2.01, ы: 1.9, ь: 1.74, г: 1.7, з: 1.65, б: 1.59, ч: 1.44,
  й: 1.21, х: 0.97, ж: 0.94, ш: 0.73, ю: 0.64, ц: 0.48, щ: 0.36, э: 0.32, ф: 0.26, ъ: 0.04, ё: 0.04,
};
const LOG_FREQUENCY = new Map(Object.entries(FREQUENCY).map(([letter, percent]) => [letter.charCodeAt(0), Math.log(percent / 100)]));
/** Non-letters a Russian text may hold beyond ASCII. */
const PUNCTUATION = new Set([...'«»№—–…„“”‘’°§·\u00a0'].map((c) => c.charCodeAt(0)));

/** A reading needs at most this share of odd words and symbols to pass as text. */
const PLAUSIBLE_ODD_SHARE = 0.1;
/** Windows-1251 with more odd words (abbreviations like `СЭДиЖ` in a short file) still passes when no reading is cleaner, up to this share. */
const TOLERATED_ODD_SHARE = 0.5;
/** Letters (in words of 3 or more) a frequency comparison needs. */
const MIN_FREQUENCY_LETTERS = 30;
/** How much likelier per letter (natural log) another reading must be to outweigh Windows-1251. */
const FREQUENCY_MARGIN = 0.5;

const isCyrillic = (c: number) => (c >= 0x410 && c <= 0x44f) || c === 0x401 || c === 0x451;
const isLatin = (c: number) => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
const isUpper = (c: number) => (c >= 0x410 && c <= 0x42f) || c === 0x401 || (c >= 0x41 && c <= 0x5a);
const lower = (c: number) => (c >= 0x410 && c <= 0x42f ? c + 0x20 : c === 0x401 ? 0x451 : c);

interface Reading {
  encoding: string;
  label: string;
  /** Words with Cyrillic letters, plus non-ASCII symbols. */
  units: number;
  /** Of them, words. */
  words: number;
  /** Of them, odd ones: a word with a capital after a small letter (`иВАНОВ`) or mixing scripts, a symbol no Russian text uses. */
  odd: number;
  /** Letters in Cyrillic words of 3 or more letters, and their mean log frequency. */
  letters: number;
  meanLogFrequency: number;
}

/** How Russian a decoded text looks: word shapes and symbols (odd ones counted), letter frequencies. */
function read(text: string, encoding: string, label: string): Reading {
  let units = 0;
  let words = 0;
  let odd = 0;
  let letters = 0;
  let logSum = 0;
  for (let i = 0; i < text.length; ) {
    const c = text.charCodeAt(i);
    if (!isCyrillic(c) && !isLatin(c)) {
      if (c >= 0x80) {
        units++;
        if (!PUNCTUATION.has(c)) odd++;
      }
      i++;
      continue;
    }
    let cyrillic = 0;
    let latin = false;
    let mixedCase = false;
    let wordLog = 0;
    let j = i;
    for (; j < text.length; j++) {
      const d = text.charCodeAt(j);
      if (isCyrillic(d)) {
        cyrillic++;
        wordLog += LOG_FREQUENCY.get(lower(d)) ?? Math.log(0.0001);
      } else if (isLatin(d)) latin = true;
      else break;
      if (j > i && isUpper(d) && !isUpper(text.charCodeAt(j - 1))) mixedCase = true;
    }
    if (cyrillic > 0) {
      units++;
      words++;
      if (latin || mixedCase) odd++;
      else if (cyrillic >= 3) {
        letters += cyrillic;
        logSum += wordLog;
      }
    }
    i = j;
  }
  return { encoding, label, units, words, odd, letters, meanLogFrequency: letters ? logSum / letters : 0 };
}

/** Russian words, few odd ones: symbols alone (`J№rgen` is Latin-1 read as CP866) are no Russian text. */
const plausible = (r: Reading) => r.words > 0 && r.odd / r.units <= PLAUSIBLE_ODD_SHARE;

/** Whether letter frequencies say `other` is the encoding rather than Windows-1251: only with enough letters and a clear margin. */
const likelierByFrequency = (other: Reading, cp1251: Reading) =>
  cp1251.letters >= MIN_FREQUENCY_LETTERS && other.letters >= MIN_FREQUENCY_LETTERS && other.meanLogFrequency - cp1251.meanLogFrequency >= FREQUENCY_MARGIN;

/**
 * What single-byte Cyrillic encoding a text that is not UTF-8 is in: `windows-1251` (accepted),
 * another one by its name (`KOI8-R`, `CP866 (DOS)`, …: to be refused), or undefined when no
 * reading looks like Russian text.
 *
 * Windows-1251 is never given up lightly. Its reading is taken when it looks like text (few odd
 * words: `иВАНОВ` is what KOI8-R names read as Windows-1251), or has some odd words but no other
 * reading is cleaner, unless another reading looks like text and is clearly likelier by letter
 * frequencies (KOI8-R lower-case words read as Windows-1251 are capitals in an improbable order).
 * Short tokens alone (`Н`, `5А`, `42-у`) cannot tell the encodings apart: such a file is read as
 * Windows-1251.
 */
export function guessCyrillicEncoding(sample: Buffer): { encoding: 'windows-1251' } | { encoding: 'other'; label: string } | undefined {
  const readings = CANDIDATES.map(({ encoding, label }) => read(iconv.decode(sample, encoding), encoding, label));
  const [cp1251, ...others] = readings;
  const byFrequency = [...others].sort((a, b) => b.meanLogFrequency - a.meanLogFrequency);
  const frequencyWinner = byFrequency.find((r) => plausible(r) && likelierByFrequency(r, cp1251));
  if (plausible(cp1251) && !frequencyWinner) return { encoding: 'windows-1251' };
  const cleaner = others.filter((r) => r.odd < cp1251.odd);
  if (!frequencyWinner && cleaner.length === 0 && cp1251.units > 0 && cp1251.odd / cp1251.units <= TOLERATED_ODD_SHARE) return { encoding: 'windows-1251' };
  const winner = frequencyWinner ?? byFrequency.find((r) => plausible(r) && r.odd < cp1251.odd);
  return winner ? { encoding: 'other', label: winner.label } : undefined;
}
