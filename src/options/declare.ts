// Options are declared once, here and in the files beside this one: name, kind, default,
// domain, doc line and CLI flag. Everything else is derived from the declarations: the
// defaults objects, validation (resolveDeclared), the CLI's flags, usage text and the mapping
// of an error back to its flag, and the options table in README.md (a test checks it).
import { AdacoreError } from '../errors.js';

/** A value outside an option's declared domain. The CLI reports it as a usage error. */
export class OptionError extends AdacoreError {}

export interface OptionSpec<T> {
  /**
   * What values look like: 'bytes' is a number of bytes (the CLI also reads K/M/G/T
   * suffixes); 'function' and 'signal' have no CLI form.
   */
  readonly kind: 'choice' | 'number' | 'integer' | 'bytes' | 'boolean' | 'function';
  /** The allowed values of a 'choice', in the order docs list them. */
  readonly choices?: readonly T[];
  /** The value when none is given (undefined: none). */
  readonly default: T | undefined;
  /** The domain in words: errors say "expected <expected>, got <value>". */
  readonly expected: string;
  /** Whether a given value is in the domain (not asked of choices: they check membership). */
  readonly valid?: (value: T) => boolean;
  /** One or two sentences for the CLI's usage text and README's options table. */
  readonly doc: string;
  /** The CLI's flag without the dashes, or undefined when the CLI has none. */
  readonly flag?: string;
  /** The CLI's placeholder for the value (e.g. N); choices list themselves. */
  readonly metavar?: string;
  /** How docs show the default, when not as its value (e.g. 512M). */
  readonly defaultText?: string;
}

/** Identity with inference: `option({...})` keeps T precise for the derived types. */
export function option<T>(spec: OptionSpec<T>): OptionSpec<T> {
  return spec;
}

/** A set of declared options, by name (e.g. SELECT_OPTIONS). */
export type Declarations = Record<string, OptionSpec<any>>;

/** The value an option resolves to: its type, or undefined too when it has no default. */
export type ValueOf<S> = S extends OptionSpec<infer T> ? T : never;
export type Resolved<D extends Declarations> = { [K in keyof D]: ValueOf<D[K]> | (D[K]['default'] extends undefined ? undefined : never) };
/** What a caller may pass: every declared option, optional. */
export type Given<D extends Declarations> = { [K in keyof D]?: ValueOf<D[K]> };

/** The defaults of a set of declarations, as a plain object. */
export function defaultsOf<D extends Declarations>(declarations: D): Resolved<D> {
  const out: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(declarations)) out[name] = spec.default;
  return out as Resolved<D>;
}

/** How errors show a rejected value. */
export function shown(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'function') return 'a function';
  if (value === null) return 'null';
  if (typeof value === 'object') return Array.isArray(value) ? 'an array' : 'an object';
  return String(value);
}

/** Check one value against its declaration; throws an OptionError naming the option. */
export function checkOption<T>(name: string, spec: OptionSpec<T>, value: unknown): T {
  if (spec.kind === 'choice') {
    if (!(spec.choices as readonly unknown[]).includes(value)) {
      throw new OptionError(name, `unknown ${name} ${shown(value)}; expected one of ${spec.choices!.join(', ')}`);
    }
    return value as T;
  }
  if (!hasKind(spec.kind, value) || (spec.valid !== undefined && !spec.valid(value as T))) {
    throw new OptionError(name, `expected ${spec.expected}, got ${shown(value)}`);
  }
  return value as T;
}

function hasKind(kind: OptionSpec<unknown>['kind'], value: unknown): boolean {
  switch (kind) {
    case 'boolean': return typeof value === 'boolean';
    case 'function': return typeof value === 'function';
    case 'integer': return Number.isInteger(value);
    default: return typeof value === 'number' && !Number.isNaN(value);
  }
}

/** Every declared option of `given`, checked, with defaults filled in. Undeclared keys are ignored. */
export function resolveDeclared<D extends Declarations>(declarations: D, given: Record<string, unknown>): Resolved<D> {
  const out: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(declarations)) {
    const value = given[name] ?? spec.default;
    out[name] = value === undefined ? undefined : checkOption(name, spec, value);
  }
  return out as Resolved<D>;
}
