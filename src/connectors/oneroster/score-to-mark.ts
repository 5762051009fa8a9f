import { normalizeMarkValue } from '../../model';

export type ScoreOutcome = { value: string } | { invalid: string } | { none: true };

export interface ScoreInput {
  score?: string;
  textScore?: string;
  scoreStatus: string;
  /** `{lhs:rhs}` pairs of the result's score scale, when it names one. */
  scale?: { lhs: string; rhs: string }[];
  /** The line item's resultValueMax, when given. */
  max?: number;
}

/**
 * A OneRoster result → a canonical mark value. A score scale that maps the score wins; otherwise
 * a whole score 1–5 is the mark itself (unless the line item's scale is not five-point); a text
 * score is read as a mark (`4+`, `зачёт`, `н/а`); an `exempt` result without a score is `осв`.
 * Anything else cannot become a Russian mark.
 */
export function scoreToMark(input: ScoreInput): ScoreOutcome {
  const { score, textScore, scale } = input;
  if (score !== undefined) {
    const n = Number(score);
    const entry = scale?.find((e) => e.lhs === score || (e.lhs.trim() !== '' && Number(e.lhs) === n));
    if (entry) {
      const value = normalizeMarkValue(entry.rhs);
      return value ? { value } : { invalid: `шкала переводит балл ${score} в «${entry.rhs}», это не отметка` };
    }
    if (input.max !== undefined && input.max !== 5) return { invalid: `балл ${score} по шкале до ${input.max} не переводится в пятибалльную отметку` };
    if (Number.isInteger(n) && n >= 1 && n <= 5) return { value: String(n) };
    return { invalid: `балл ${score} вне пятибалльной шкалы 1–5` };
  }
  if (textScore !== undefined) {
    const value = normalizeMarkValue(textScore);
    return value ? { value } : { invalid: `«${textScore}» не является отметкой` };
  }
  if (input.scoreStatus === 'exempt') return { value: 'осв' };
  return { none: true };
}
