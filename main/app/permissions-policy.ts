import { isTrustedRendererUrl } from './app-url';

/**
 * Browser permissions the renderer may use: writing to the clipboard (copy buttons). Everything
 * else (camera, microphone, notifications, geolocation, HID, serial …) is refused, and nothing is
 * granted to a page that is not ours.
 */
const ALLOWED = new Set(['clipboard-sanitized-write']);

export function isPermissionAllowed(permission: string, requestingUrl: string, devServerUrl?: string): boolean {
  return ALLOWED.has(permission) && isTrustedRendererUrl(requestingUrl, devServerUrl);
}
