/**
 * The one error type adacore throws for bad input. `argument` names what was wrong
 * (an option name, "vectors", "labels", a file path) so callers and the CLI can report it.
 */
export class AdacoreError extends Error {
  readonly argument: string;
  constructor(argument: string, message: string) {
    super(`${argument}: ${message}`);
    this.name = 'AdacoreError';
    this.argument = argument;
  }
}

/** Throw an AdacoreError unless `condition` holds. */
export function check(condition: unknown, argument: string, message: string): asserts condition {
  if (!condition) throw new AdacoreError(argument, message);
}
