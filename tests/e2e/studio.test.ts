// End to end in a real Chromium against browser mode: the frame, every view, a real analyze job
// through the UI with its progress, responsiveness during the job, and the access-token guard.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, rmSync, copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import WebSocket from 'ws';
import { corpus, repoRoot } from '../helpers/paths';
import { type BrowserMode, buildRenderer, collectPageErrors, e2eSkip, launchChromium, startBrowserMode } from './browser-mode';

const shotsDir = path.join(repoRoot, 'test-results', 'e2e');

const skip = e2eSkip;

const views = [
  { name: 'projects', title: 'Projects' },
  { name: 'datasets', title: 'Datasets' },
  { name: 'training', title: 'Training' },
  { name: 'editor', title: 'Editor' },
  { name: 'renders', title: 'Renders' },
] as const;

describe('browser mode in Chromium', { skip }, () => {
  let server: BrowserMode;
  let browser: Browser;
  let page: Page;
  let workDir: string;
  const pageErrors: string[] = [];

  before(async () => {
    buildRenderer(repoRoot);
    mkdirSync(shotsDir, { recursive: true });
    workDir = mkdtempSync(path.join(tmpdir(), 'studio-e2e-'));
    server = await startBrowserMode(repoRoot);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    collectPageErrors(page, pageErrors);
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  test('opens the URL with the token and shows the frame', async () => {
    await page.goto(server.url.href);
    await page.getByTestId('app-frame').waitFor();
    await page.getByTestId('view-projects').waitFor();
    assert.equal(await page.getByTestId('status-idle').textContent(), 'No jobs running');
    for (const v of views) assert.equal(await page.getByTestId(`nav-${v.name}`).isVisible(), true, `${v.title} in sidebar`);
    assert.deepEqual(pageErrors, [], 'no errors in the page (CSP violations, failed requests, exceptions)');
  });

  test('navigates every view by the sidebar and by keyboard shortcuts', async () => {
    for (const v of views) {
      await page.getByTestId(`nav-${v.name}`).click();
      await page.getByTestId(`view-${v.name}`).waitFor();
      assert.match(page.url(), new RegExp(`#/${v.name}$`));
      assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), v.title);
      await page.screenshot({ path: path.join(shotsDir, `${v.name}.png`) });
    }
    for (const [i, v] of views.entries()) {
      await page.keyboard.press(`Control+${i + 1}`);
      await page.getByTestId(`view-${v.name}`).waitFor();
      assert.equal(await page.locator('.nav-item.router-link-active').getAttribute('data-testid'), `nav-${v.name}`);
    }
  });

  test('? lists the open section\'s keys and the section keys; Escape closes it, and no key reaches the view behind', async () => {
    await page.keyboard.press('Control+2');
    await page.getByTestId('view-datasets').waitFor();
    await page.keyboard.press('?');
    const overlay = page.getByTestId('section-shortcuts');
    await overlay.waitFor();
    const text = (await overlay.textContent()) ?? '';
    assert.match(text, /Datasets.*Add folders of recordings/s);
    assert.match(text, /Ctrl\+5\s*Go to Renders/);
    await page.screenshot({ path: path.join(shotsDir, 'section-shortcuts.png') });
    await page.keyboard.press('Control+1');
    assert.ok(await page.getByTestId('view-datasets').isVisible(), 'a section key pressed in the overlay does not switch the view behind it');
    await page.keyboard.press('Escape');
    await overlay.waitFor({ state: 'detached' });

    await page.keyboard.press('Control+5');
    await page.getByTestId('view-renders').waitFor();
    await page.keyboard.press('?');
    assert.match((await overlay.textContent()) ?? '', /Renders.*Loop on \/ off/s);
    await page.keyboard.press('?');
    await overlay.waitFor({ state: 'detached' });
    // Help → Keyboard Shortcuts in the desktop app presses `?` for the person, on the window.
    await page.evaluate(() => window.dispatchEvent(new KeyboardEvent('keydown', { key: '?', cancelable: true })));
    await overlay.waitFor();
    await page.keyboard.press('Escape');
    await overlay.waitFor({ state: 'detached' });
    assert.deepEqual(pageErrors, []);
  });

  test('runs a real analyze job chosen in the folder browser and shows its progress and result', async () => {
    const input = path.join(workDir, 'utt01.wav');
    copyFileSync(path.join(corpus, 'speech', 'en-us', 'utt01.wav'), input);

    await page.keyboard.press('Control+2');
    await page.getByTestId('view-datasets').waitFor();
    await page.getByTestId('analyze-browse').click();
    const browserDialog = page.getByTestId('folder-browser');
    await browserDialog.waitFor();
    await page.getByTestId('folder-path').fill(workDir);
    await page.getByTestId('folder-path').press('Enter');
    await page.getByTestId('entry-utt01.wav').dblclick();
    await browserDialog.waitFor({ state: 'detached' });
    assert.equal(await page.getByTestId('analyze-file').inputValue(), input);

    await page.getByTestId('analyze-start').click();
    // The job shows up in the status bar with a phase while it runs…
    const job = page.locator('[data-testid^="job-"][data-phase]');
    await job.first().waitFor({ timeout: 30_000 });
    const phase = await job.first().getAttribute('data-phase');
    assert.ok(phase && phase.length > 0, 'a running job shows its phase');

    // …and the UI answers while it runs: switching views responds promptly.
    const t0 = Date.now();
    await page.getByTestId('nav-training').click();
    await page.getByTestId('view-training').waitFor({ timeout: 2000 });
    await page.getByTestId('nav-datasets').click();
    await page.getByTestId('view-datasets').waitFor({ timeout: 2000 });
    assert.ok(Date.now() - t0 < 4000, 'navigation answered during the job');

    // The job finishes and a notification reports the output file and the frame count.
    const done = page.getByTestId('notification-success');
    await done.waitFor({ timeout: 120_000 });
    const lines = await done.getByTestId('notification-line').allTextContents();
    const output = lines.find((l) => l.endsWith('.npy'));
    assert.ok(output, `notification names the .npy output: ${lines.join(' | ')}`);
    assert.ok(existsSync(output), `the output ${output} exists on disk`);
    const frames = lines.map(Number).find((n) => Number.isInteger(n) && n > 0);
    assert.ok(frames, `notification gives a positive frame count: ${lines.join(' | ')}`);
    await page.getByTestId('status-idle').waitFor();
    await page.screenshot({ path: path.join(shotsDir, 'analyze-done.png') });
    assert.deepEqual(pageErrors, []);
  });

  /**
   * A page whose folder browser's first listing (its start folder) is held back until release():
   * a slow disk, or a busy machine. It shows the Datasets view's analysis chooser, still loading.
   */
  async function pageWithHeldFirstListing(): Promise<{ slow: Page; release: () => void }> {
    const slow = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let firstListing: number | null = null;
    await slow.routeWebSocket(/\/api\?token=/, (ws) => {
      const server = ws.connectToServer();
      ws.onMessage((m) => {
        const call = JSON.parse(String(m)) as { method?: string; id?: number };
        if (call.method === 'fs.listDir' && firstListing === null) firstListing = call.id ?? null;
        server.send(m);
      });
      server.onMessage(async (m) => {
        const answer = JSON.parse(String(m)) as { type?: string; id?: number };
        if (answer.type === 'result' && answer.id === firstListing) await released;
        ws.send(m);
      });
    });
    try {
      await slow.goto(server.url.href);
      await slow.keyboard.press('Control+2');
      await slow.getByTestId('analyze-browse').click();
      await slow.getByTestId('folder-browser').waitFor();
      await slow.waitForFunction(() => document.querySelector('[data-testid="folder-browser"] ul[aria-busy="true"]') !== null);
    } catch (err) {
      release();
      await slow.close();
      throw err;
    }
    return { slow, release };
  }

  test('a folder typed and entered while the first listing still loads opens, and the typing keeps the focus', async () => {
    const dir = path.join(workDir, 'typed-early');
    mkdirSync(dir);
    copyFileSync(path.join(corpus, 'speech', 'en-us', 'utt01.wav'), path.join(dir, 'early.wav'));
    // The first listing is held until the person has typed a folder and pressed Enter.
    const { slow, release } = await pageWithHeldFirstListing();
    try {
      // Meanwhile the list says it is being read, rather than standing empty.
      await slow.getByTestId('folder-loading').waitFor();
      await slow.getByTestId('folder-path').fill(dir);
      await slow.getByTestId('folder-path').press('Enter');
      await slow.getByTestId('entry-early.wav').waitFor({ timeout: 10_000 });
      // The late answer for the start folder changes nothing: the listing, the path and the focus stay.
      release();
      await slow.waitForFunction(() => document.querySelector('[data-testid="folder-browser"] ul[aria-busy="false"]') !== null);
      await slow.waitForTimeout(300);
      assert.equal(await slow.getByTestId('folder-path').inputValue(), dir);
      assert.ok(await slow.getByTestId('entry-early.wav').isVisible());
      assert.equal(await slow.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'folder-path');
    } finally {
      release();
      await slow.close();
    }
  });

  test('a person waiting in the empty path field types over the start folder when it arrives', async () => {
    const dir = path.join(workDir, 'typed-early');
    const { slow, release } = await pageWithHeldFirstListing();
    try {
      await slow.getByTestId('folder-path').click();
      release();
      await slow.waitForFunction(() => (document.querySelector<HTMLInputElement>('[data-testid="folder-path"]')?.value ?? '') !== '');
      const start = await slow.getByTestId('folder-path').inputValue();
      // The path that arrived is selected, so typing replaces it. Typed key by key: Playwright's
      // fill selects the field's text itself, which would hide a missing selection.
      await slow.keyboard.type(dir);
      assert.equal(await slow.getByTestId('folder-path').inputValue(), dir, `typed over ${start}`);
      await slow.keyboard.press('Enter');
      await slow.getByTestId('entry-early.wav').waitFor({ timeout: 10_000 });
    } finally {
      release();
      await slow.close();
    }
  });

  test('creates a project in a new folder named after it, and lists it as recent', async () => {
    await page.keyboard.press('Control+1');
    await page.getByTestId('view-projects').waitFor();
    await page.getByTestId('project-new').click();
    await page.getByTestId('project-name').fill('Cello studies');
    await page.getByTestId('project-parent').fill(workDir);
    assert.match((await page.getByTestId('project-target').textContent()) ?? '', /Cello studies/);
    await page.getByTestId('project-create').click();
    const current = page.getByTestId('project-current');
    await current.waitFor();
    const folder = path.join(workDir, 'Cello studies');
    assert.ok(((await current.textContent()) ?? '').includes(folder), 'the current project shows its new folder');
    assert.ok(existsSync(path.join(folder, 'project.json')), 'project.json written in the new folder');
    assert.ok(!existsSync(path.join(workDir, 'project.json')), 'nothing spilled into the chosen location');
    await page.screenshot({ path: path.join(shotsDir, 'project-created.png') });
    assert.deepEqual(pageErrors, []);
  });

  test('refuses requests without the token or from a foreign origin', async () => {
    const origin = server.url.origin;
    const noToken = await fetch(`${origin}/`);
    assert.ok(noToken.status === 401 || noToken.status === 403, `page without token refused, got ${noToken.status}`);
    const wrongToken = await fetch(`${origin}/?token=not-the-token`);
    assert.ok(wrongToken.status === 401 || wrongToken.status === 403, `page with a wrong token refused, got ${wrongToken.status}`);
    const withToken = await fetch(server.url.href);
    assert.equal(withToken.status, 200);

    const wsBase = `${origin.replace(/^http/, 'ws')}/api`;
    assert.equal(await socketOpens(wsBase, origin), false, 'WebSocket without token refused');
    assert.equal(await socketOpens(`${wsBase}?token=${server.token}`, 'http://evil.example'), false, 'foreign Origin refused');
    assert.equal(await socketOpens(`${wsBase}?token=${server.token}`, origin), true, 'token and own Origin accepted');
  });
});

/** Whether a WebSocket handshake to url with the given Origin header succeeds. */
function socketOpens(url: string, origin: string): Promise<boolean> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { origin });
    ws.once('open', () => {
      ws.close();
      resolve(true);
    });
    ws.once('unexpected-response', (_req, res) => {
      res.resume();
      resolve(false);
    });
    ws.once('error', () => resolve(false));
  });
}
