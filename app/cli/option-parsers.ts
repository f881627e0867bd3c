// Value parsers for CLI options shared by several commands (bad values are refused by commander, naming the
// value, before any database is opened).
import { InvalidArgumentError } from 'commander';

/** A positive integer (an id, a count, a step); `what` names it in the error ("run id", "count"). */
export const positiveInt =
  (what: string) =>
  (v: string): number => {
    const n = Number(v);
    if (!/^\d+$/.test(v.trim()) || !Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError(`"${v}" is not a ${what}`);
    return n;
  };
