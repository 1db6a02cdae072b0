import { app, shell, type Session, type WebContents } from 'electron';
import { isTrustedRendererUrl } from './app-url';
import { withSecurityHeaders } from '../server/csp';
import { externalLinkTarget } from './external-links';
import { isPermissionAllowed } from './permissions-policy';

/**
 * Session-wide rules: permissions denied unless allow-listed for our origin, and in development
 * the dev server's responses get the (development) CSP, as app:// responses get theirs.
 */
export function lockDownSession(session: Session, devServerUrl?: string): void {
  session.setPermissionRequestHandler((contents, permission, callback) => {
    callback(isPermissionAllowed(permission, contents.getURL(), devServerUrl));
  });
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) =>
    isPermissionAllowed(permission, requestingOrigin, devServerUrl),
  );
  if (devServerUrl) {
    const origin = new URL(devServerUrl).origin;
    session.webRequest.onHeadersReceived({ urls: [`${origin}/*`] }, (details, callback) => {
      callback({ responseHeaders: withSecurityHeaders(details.responseHeaders ?? {}, { devServerOrigin: origin }) });
    });
  }
}

/**
 * Every web contents (windows, devtools, anything created later) may not navigate away from the
 * renderer, open windows or attach webviews. http(s) links go to the system browser after a check.
 */
export function guardAllWebContents(devServerUrl?: string): void {
  app.on('web-contents-created', (_event, contents: WebContents) => {
    contents.on('will-navigate', (event, url) => {
      if (isTrustedRendererUrl(url, devServerUrl)) return;
      event.preventDefault();
      openExternally(url);
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      openExternally(url);
      return { action: 'deny' };
    });
  });
}

function openExternally(url: string): void {
  const target = externalLinkTarget(url);
  if (target) void shell.openExternal(target);
}
