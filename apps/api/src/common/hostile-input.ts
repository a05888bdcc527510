/** No DTO nests deeper than a few levels; 32 leaves room and keeps class-transformer's recursion shallow. */
export const MAX_INPUT_DEPTH = 32;

/** Keys that reach the prototype chain: `obj[key] = …` with them rewires objects (prototype pollution). */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** A surrogate half without its partner: not Unicode, and PostgreSQL or an encoder would mangle it. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export interface InputProblem {
  field: string;
  message: string;
}

/**
 * [I-BAD] Checks a parsed body, query or path parameter before class-transformer sees it:
 * - nesting deeper than MAX_INPUT_DEPTH: class-transformer recurses per level, so `[[[…]]]` 5,000
 *   deep overflowed the stack and every POST route answered 500;
 * - `__proto__`, `constructor`, `prototype` keys: refused by name instead of silently dropped;
 * - NUL and lone surrogates in strings and keys: PostgreSQL rejects NUL in text (a 500 again).
 * The walk is iterative and stops at the depth bound, so it costs at most one pass over the input.
 */
export function findHostileInput(input: unknown): InputProblem | undefined {
  const pending: { value: unknown; field: string; depth: number }[] = [{ value: input, field: '', depth: 0 }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const { value, field, depth } = next;
    if (typeof value === 'string') {
      if (!isCleanText(value)) return problem(field, 'contains a NUL character or invalid Unicode');
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= MAX_INPUT_DEPTH) return problem(field, `nests deeper than ${MAX_INPUT_DEPTH} levels`);
    for (const key of Object.keys(value)) {
      const child = Array.isArray(value) ? `${field}[${key}]` : field ? `${field}.${key}` : key;
      if (PROTOTYPE_KEYS.has(key)) return problem(child, 'is not an allowed property name');
      if (!isCleanText(key)) return problem(child, 'is a property name with a NUL character or invalid Unicode');
      pending.push({ value: (value as Record<string, unknown>)[key], field: child, depth: depth + 1 });
    }
  }
  return undefined;
}

/** Names the field without echoing a long or unprintable attacker-chosen key back in full. */
function problem(field: string, what: string): InputProblem {
  const name = (field || 'body').replace(/[^\x20-\x7e]/g, '?');
  const shown = name.length > 100 ? `${name.slice(0, 100)}…` : name;
  return { field: shown, message: `${shown} ${what}` };
}

function isCleanText(text: string): boolean {
  return !text.includes('\u0000') && !LONE_SURROGATE.test(text);
}
