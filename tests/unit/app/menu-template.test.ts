import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { MenuItemConstructorOptions } from 'electron';
import { menuTemplate } from '../../../main/app/menu-template';
import type { MenuCommand } from '../../../main/services/backend';
import { externalLinkTarget } from '../../../main/app/external-links';

function submenu(item: MenuItemConstructorOptions | undefined): MenuItemConstructorOptions[] {
  assert.ok(item && Array.isArray(item.submenu), 'has a submenu');
  return item.submenu as MenuItemConstructorOptions[];
}

function build(platform: NodeJS.Platform, isPackaged: boolean) {
  const sent: MenuCommand[] = [];
  const template = menuTemplate({ appName: 'WaveNet Studio', platform, isPackaged, onCommand: (c) => sent.push(c) });
  return { template, sent };
}

test('File menu: New Project… and Open Project… on Ctrl/Cmd+N and +O send their commands', () => {
  const { template, sent } = build('linux', true);
  const file = submenu(template.find((m) => m.label === '&File'));
  const newProject = file.find((i) => i.label === 'New Project…');
  const openProject = file.find((i) => i.label === 'Open Project…');
  assert.equal(newProject?.accelerator, 'CmdOrCtrl+N');
  assert.equal(openProject?.accelerator, 'CmdOrCtrl+O');
  // click's arguments come from Electron; the handlers do not use them.
  const click = (i: MenuItemConstructorOptions | undefined) => (i?.click as unknown as () => void)();
  click(openProject);
  click(newProject);
  assert.deepEqual(sent, ['openProject', 'newProject']);
  assert.ok(file.some((i) => i.role === 'quit'));
});

test('usual roles in order; the macOS app menu only on macOS', () => {
  const linux = build('linux', true).template;
  assert.deepEqual(linux.map((m) => m.role ?? m.label), ['&File', 'editMenu', '&View', 'windowMenu', 'help']);
  const mac = build('darwin', true).template;
  assert.deepEqual(mac.map((m) => m.role ?? m.label), ['appMenu', '&File', 'editMenu', '&View', 'windowMenu', 'help']);
  assert.ok(submenu(mac[1]).some((i) => i.role === 'close'), 'Cmd+W closes the window on macOS; Cmd+Q is in the app menu');
});

test('reload and developer tools only in development builds; zoom and full screen always', () => {
  const roles = (packaged: boolean) => submenu(build('win32', packaged).template.find((m) => m.label === '&View')).map((i) => i.role).filter(Boolean);
  assert.deepEqual(roles(true), ['resetZoom', 'zoomIn', 'zoomOut', 'togglefullscreen']);
  assert.deepEqual(roles(false), ['reload', 'forceReload', 'toggleDevTools', 'resetZoom', 'zoomIn', 'zoomOut', 'togglefullscreen']);
});

test('only plain http(s) links without credentials go to the system browser', () => {
  assert.equal(externalLinkTarget('https://onnxruntime.ai/docs/'), 'https://onnxruntime.ai/docs/');
  assert.equal(externalLinkTarget('http://example.com'), 'http://example.com/');
  for (const url of ['file:///etc/passwd', 'javascript:alert(1)', 'smb://host/share', 'ms-settings:', 'https://user:pw@example.com/', 'app://studio/index.html', 'not a url']) {
    assert.equal(externalLinkTarget(url), null, url);
  }
});

test('Help → Keyboard Shortcuts sends its command on every platform', () => {
  for (const platform of ['linux', 'darwin', 'win32'] as const) {
    const { template, sent } = build(platform, true);
    const help = submenu(template.find((m) => m.role === 'help'));
    const item = help.find((i) => i.label === 'Keyboard Shortcuts');
    assert.ok(item, `${platform}: listed under Help`);
    assert.equal(item.accelerator, undefined, 'no accelerator: `?` opens the lists itself');
    (item.click as unknown as () => void)();
    assert.deepEqual(sent, ['showShortcuts']);
  }
});
