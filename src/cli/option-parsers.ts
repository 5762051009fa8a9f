import { InvalidArgumentError } from 'commander';

/** A commander parser for a whole number in [1, max], with a Russian error. */
export function positiveIntUpTo(max: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1 || n > max) throw new InvalidArgumentError(`нужно целое число от 1 до ${max}`);
    return n;
  };
}
