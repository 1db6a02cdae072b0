/**
 * The Content-Security-Policy every renderer response carries, from browser mode's server and from
 * the Electron app's app:// protocol alike (main/app imports it from here). No inline script or style: Vue
 * single-file components compile to external CSS and JS, and `:style` bindings go through the
 * CSSOM, which style-src does not govern. Recorded and rendered audio plays from blob: URLs.
 */
export interface CspOptions {
  /** The electron-vite dev server's origin (development only): its HMR socket and injected styles. */
  devServerOrigin?: string;
}

export function contentSecurityPolicy(options: CspOptions = {}): string {
  const dev = options.devServerOrigin;
  const devSocket = dev ? dev.replace(/^http/, 'ws') : undefined;
  const directives: Array<[string, string[]]> = [
    ['default-src', ["'self'"]],
    ['script-src', ["'self'"]],
    // Vite's dev server injects <style> elements for hot-reloaded CSS; the built app does not.
    ['style-src', dev ? ["'self'", "'unsafe-inline'"] : ["'self'"]],
    ['img-src', ["'self'", 'data:', 'blob:']],
    ['media-src', ["'self'", 'blob:']],
    ['font-src', ["'self'"]],
    ['connect-src', dev && devSocket ? ["'self'", devSocket] : ["'self'"]],
    ['object-src', ["'none'"]],
    ['base-uri', ["'none'"]],
    ['form-action', ["'none'"]],
    ['frame-ancestors', ["'none'"]],
  ];
  return directives.map(([name, sources]) => `${name} ${sources.join(' ')}`).join('; ');
}

/** Response headers for a renderer document or asset, with our CSP replacing any the server sent. */
export function withSecurityHeaders(
  headers: Record<string, string | string[]>,
  options: CspOptions = {},
): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (name.toLowerCase() === 'content-security-policy') continue;
    out[name] = Array.isArray(value) ? value : [value];
  }
  out['Content-Security-Policy'] = [contentSecurityPolicy(options)];
  out['X-Content-Type-Options'] = ['nosniff'];
  return out;
}
