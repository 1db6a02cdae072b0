/**
 * Links the app may hand to the system browser: plain http(s) URLs to a named host, nothing with
 * embedded credentials. Everything else (file:, javascript:, custom schemes that launch other
 * programs) is dropped.
 */
export function externalLinkTarget(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return null;
  if (parsed.username !== '' || parsed.password !== '') return null;
  if (parsed.hostname === '') return null;
  return parsed.href;
}
