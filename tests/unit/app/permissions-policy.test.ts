import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isPermissionAllowed } from '../../../main/app/permissions-policy';

test('permissions are refused by default; clipboard writes only for our own origin', () => {
  for (const permission of ['media', 'notifications', 'geolocation', 'openExternal', 'hid', 'serial', 'fullscreen', 'clipboard-read']) {
    assert.equal(isPermissionAllowed(permission, 'app://studio/index.html'), false, permission);
  }
  assert.equal(isPermissionAllowed('clipboard-sanitized-write', 'app://studio/index.html'), true);
  assert.equal(isPermissionAllowed('clipboard-sanitized-write', 'app://studio'), true);
  assert.equal(isPermissionAllowed('clipboard-sanitized-write', 'https://example.com/'), false);
  assert.equal(isPermissionAllowed('clipboard-sanitized-write', 'http://localhost:5173/'), false);
  assert.equal(isPermissionAllowed('clipboard-sanitized-write', 'http://localhost:5173/', 'http://localhost:5173'), true);
});
