// [I-REDIRECT] Only same-origin relative paths may follow sign-in; anything else becomes "/".
// A leading "//" or a backslash ("/\evil.com", which browsers read as "//evil.com") would leave
// the origin; control characters (CR, LF, TAB, NUL) could split a header or be stripped by URL
// parsers to form one of the above. Percent-encoded forms are checked too, so a value stays
// safe even if some later consumer decodes it.
const BASE = 'https://sessionkeep.invalid';

function isControlOrBackslash(char: string): boolean {
  const code = char.charCodeAt(0);
  return code < 0x20 || code === 0x7f || char === '\\';
}

function isRelativePath(value: string): boolean {
  return value.startsWith('/') && !value.startsWith('//') && ![...value].some(isControlOrBackslash);
}

function decoded(value: string): string | null {
  try {
    return decodeURIComponent(value);
  } catch {
    return null;
  }
}

export function safeReturnTo(value: string | null | undefined): string {
  if (!value || !isRelativePath(value)) return '/';
  const plain = decoded(value);
  if (plain === null || !isRelativePath(plain)) return '/';
  return new URL(value, BASE).origin === BASE ? value : '/';
}
