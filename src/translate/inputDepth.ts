/**
 * Nesting depth of input values, measured without recursion: a crafted value
 * thousands of levels deep must be refused before graphql-js walks it
 * recursively (and overflows the stack).
 */

/** Deepest nesting of arrays and objects in `value` (a scalar is 0), or -1 past `limit`. */
export function valueDepth(value: unknown, limit: number): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 1]];
  for (let next = stack.pop(); next; next = stack.pop()) {
    const [item, depth] = next;
    if (item === null || typeof item !== 'object') continue;
    if (depth > limit) return -1;
    deepest = Math.max(deepest, depth);
    // Scalars are pushed too and skipped when popped: one test of what is a container.
    for (const child of Array.isArray(item) ? item : Object.values(item)) {
      stack.push([child, depth + 1]);
    }
  }
  return deepest;
}

/**
 * Deepest nesting of `{`/`[` inside argument and variable-definition
 * parentheses of a GraphQL document's text: the depth of its input literals
 * (selection sets are outside parentheses). Strings and comments are skipped.
 * Returns -1 as soon as it passes `limit`.
 */
export function literalDepth(source: string, limit: number): number {
  let deepest = 0;
  let parens = 0;
  let depth = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '#') {
      while (i < source.length && source[i] !== '\n' && source[i] !== '\r') i++;
    } else if (c === '"') {
      if (source.startsWith('"""', i)) {
        // A block string ends at the first """ that is not escaped (\""").
        let end = source.indexOf('"""', i + 3);
        // No match is -1, and source[-2] is no backslash: the loop stops there too.
        while (source[end - 1] === '\\') end = source.indexOf('"""', end + 3);
        i = end < 0 ? source.length : end + 2;
      } else {
        for (i++; i < source.length && source[i] !== '"' && source[i] !== '\n'; i++) {
          if (source[i] === '\\') i++;
        }
      }
    } else if (c === '(') {
      parens++;
    } else if (c === ')') {
      parens = Math.max(0, parens - 1);
      if (parens === 0) depth = 0;
    } else if (parens > 0 && (c === '{' || c === '[')) {
      depth++;
      if (depth > limit) return -1;
      deepest = Math.max(deepest, depth);
    } else if (c === '}' || c === ']') {
      // Outside parentheses depth is 0 already (reset at the last ')'), and stays 0.
      depth = Math.max(0, depth - 1);
    }
  }
  return deepest;
}
