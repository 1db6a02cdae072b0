// The Datasets section end to end in a real Chromium against browser mode: open a project made on
// disk, add a folder of real recordings (and one broken file) through the UI, watch the import's
// progress, read the file table and the skipped file's reason, select a file and see its
// mel-spectrogram drawn, play it and see the playhead move, exclude a file and find it saved.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { createProject } from '../../main/engine/project/index';
import { corpus, repoRoot } from '../helpers/paths';
import { apiCall, type BrowserMode, buildRenderer, chooseInFolderBrowser, collectPageErrors, e2eSkip, launchChromium, openProjectThroughUi, startBrowserMode } from './browser-mode';

const shotsDir = path.join(repoRoot, 'test-results', 'e2e');

const skip = e2eSkip;

describe('the Datasets section in Chromium', { skip }, () => {
  let server: BrowserMode;
  let browser: Browser;
  let page: Page;
  let workDir: string;
  let projectDir: string;
  let recordings: string;
  const pageErrors: string[] = [];

  before(async () => {
    buildRenderer(repoRoot);
    mkdirSync(shotsDir, { recursive: true });
    workDir = mkdtempSync(path.join(tmpdir(), 'studio-datasets-e2e-'));
    projectDir = path.join(workDir, 'Voice project');
    mkdirSync(projectDir);
    await createProject(projectDir, 'Voice project');

    // Three speech utterances at 16 kHz, one at 22.05 kHz, and a file that only pretends to be a WAV.
    recordings = path.join(workDir, 'recordings');
    mkdirSync(recordings);
    copyFileSync(path.join(corpus, 'speech', 'en-us', 'utt01.wav'), path.join(recordings, 'utt01.wav'));
    copyFileSync(path.join(corpus, 'speech', 'en-gb', 'utt02.wav'), path.join(recordings, 'utt02.wav'));
    copyFileSync(path.join(corpus, 'speech', 'en-us', 'utt03.wav'), path.join(recordings, 'utt03.wav'));
    copyFileSync(path.join(corpus, 'formats', 'utt01-22k.flac'), path.join(recordings, 'utt04-22k.flac'));
    writeFileSync(path.join(recordings, 'broken.wav'), Buffer.from('RIFF\x10\x00\x00\x00WAVEjunk and nothing more', 'latin1'));

    server = await startBrowserMode(repoRoot);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
    collectPageErrors(page, pageErrors);
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  test('without a project the view points to Projects', async () => {
    await page.goto(server.url.href);
    await page.getByTestId('app-frame').waitFor();
    await page.getByTestId('nav-datasets').click();
    await page.getByTestId('datasets-no-project').waitFor();
    await page.screenshot({ path: path.join(shotsDir, 'datasets-no-project.png') });
    await page.getByTestId('datasets-to-projects').click();
    await page.getByTestId('view-projects').waitFor();
  });

  test('opens the project through the folder browser; its Datasets view has one button to add folders', async () => {
    await openProjectThroughUi(page, projectDir);

    await page.getByTestId('nav-datasets').click();
    await page.getByTestId('datasets-empty-add').waitFor();
    await page.screenshot({ path: path.join(shotsDir, 'datasets-empty.png') });
  });

  test('adds a folder, shows the import progress, then the files and the skipped one with its reason', async () => {
    // Remember every progress figure the view shows, however brief the import.
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { importFigures: string[] }).importFigures = seen;
      new MutationObserver(() => {
        const el = document.querySelector('[data-testid="import-files"]');
        if (el?.textContent && seen[seen.length - 1] !== el.textContent) seen.push(el.textContent);
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });

    await page.getByTestId('datasets-empty-add').click();
    await page.getByTestId('dataset-add-dialog').waitFor();
    // The folder chooser opens at once; the dataset is named after the folder chosen.
    await chooseInFolderBrowser(page, recordings);
    assert.equal(await page.getByTestId('dataset-name').inputValue(), 'recordings');
    await page.getByTestId('dataset-name').fill('Ana speaking');
    await page.screenshot({ path: path.join(shotsDir, 'datasets-add-dialog.png') });
    await page.getByTestId('dataset-add-submit').click();
    await page.getByTestId('dataset-add-dialog').waitFor({ state: 'detached' });

    // Five files, four usable: the table fills when the import ends.
    const rows = page.getByTestId('file-row');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="file-row"]').length === 4, null, { timeout: 120_000 });
    assert.equal(await rows.count(), 4);
    const figures = await page.evaluate(() => (window as unknown as { importFigures: string[] }).importFigures);
    assert.ok(figures.length > 0, 'the import showed its progress (files done / total)');
    assert.ok(figures.every((f) => /^\d+( \/ \d+)? files$/.test(f)), `progress reads as files done / total: ${figures.join(' | ')}`);

    const heading = (await page.getByTestId('dataset-figures').textContent()) ?? '';
    assert.match(heading, /4 files/);
    assert.match(heading, /1 skipped/);
    assert.match(heading, /16\/22\.05 kHz mix/);

    const skipped = page.getByTestId('skipped-file');
    assert.equal(await skipped.count(), 1);
    assert.match((await skipped.textContent()) ?? '', /broken\.wav/);
    const reason = ((await page.getByTestId('skipped-reason').textContent()) ?? '').trim();
    assert.ok(reason.length > 5, `the skipped file says why: "${reason}"`);

    const names = await page.locator('[data-testid="file-row"] .name').allTextContents();
    assert.deepEqual(names.sort(), ['utt01.wav', 'utt02.wav', 'utt03.wav', 'utt04-22k.flac']);
    await page.screenshot({ path: path.join(shotsDir, 'datasets-full.png') });
  });

  test('a selected file shows its mel-spectrogram as the model sees it, and plays with a moving playhead', async () => {
    await page.locator('[data-testid="file-row"][data-path$="utt01.wav"]').click();
    await page.getByTestId('file-inspector').waitFor();
    await page.locator('[data-testid="mel-canvas"][data-drawn="true"]').waitFor({ timeout: 30_000 });

    const pixels = await page.evaluate(() => {
      const canvas = document.querySelector<HTMLCanvasElement>('[data-testid="mel-canvas"]');
      const ctx = canvas?.getContext('2d');
      if (!canvas || !ctx || canvas.width === 0) return { lit: 0, total: 0, distinct: 0 };
      const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
      let lit = 0;
      const colours = new Set<number>();
      for (let i = 0; i < data.length; i += 4) {
        if (data[i + 3] > 0 && data[i] + data[i + 1] + data[i + 2] > 60) lit++;
        colours.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
      }
      return { lit, total: data.length / 4, distinct: colours.size };
    });
    assert.ok(pixels.total > 0, 'the mel canvas has a size');
    assert.ok(pixels.lit / pixels.total > 0.05, `the mel canvas is drawn: ${pixels.lit} of ${pixels.total} pixels lit`);
    assert.ok(pixels.distinct > 16, `the mel canvas shows a range of values (${pixels.distinct} colours)`);

    const position = async () => Number(await page.getByTestId('playhead').getAttribute('data-position'));
    assert.equal(await position(), 0);
    await page.getByTestId('file-play').click();
    const t0 = Date.now();
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="playhead"]')?.getAttribute('data-position')) > 0.2, null, { timeout: 10_000 });
    const p1 = await position();
    await page.waitForTimeout(700);
    const p2 = await position();
    const elapsed = (Date.now() - t0) / 1000;
    assert.ok(p2 > p1, `the playhead moves on (${p1} s → ${p2} s)`);
    assert.ok(p2 <= elapsed + 0.3, `the playhead moves in real time, not faster (${p2} s after ${elapsed.toFixed(2)} s)`);
    await page.screenshot({ path: path.join(shotsDir, 'datasets-playing.png') });

    // Space stops (focus is on the table, not on a button).
    await page.getByTestId('file-rows').focus();
    await page.keyboard.press('Space');
    await page.waitForFunction(() => document.querySelector('[data-testid="file-play"]')?.getAttribute('aria-label') === 'Play');
    const stopped = await position();
    await page.waitForTimeout(300);
    assert.equal(await position(), stopped, 'stopped playback holds the playhead');

    // A click on the waveform moves the playhead there.
    const lane = page.getByTestId('lane-waveform');
    const box = await lane.boundingBox();
    assert.ok(box);
    await lane.click({ position: { x: box.width * 0.75, y: box.height / 2 } });
    const seconds = Number(await page.getByTestId('playhead').getAttribute('data-duration'));
    const seeked = await position();
    assert.ok(Math.abs(seeked - seconds * 0.75) < 0.25, `seek to 75%: ${seeked} s of ${seconds} s`);
  });

  test('excluding a file takes it out of training and is saved', async () => {
    await page.locator('[data-testid="file-row"][data-path$="utt02.wav"] [data-testid="file-include-row"]').click();
    await page.getByTestId('filter-excluded').click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="file-row"]').length === 1);
    assert.match((await page.locator('[data-testid="file-row"] .name').textContent()) ?? '', /utt02\.wav/);
    assert.match((await page.getByTestId('dataset-figures').textContent()) ?? '', /1 excluded/);

    const datasets = (await apiCall(server, 'datasets.list', { project: projectDir })) as { dataset: { id: string } }[];
    assert.equal(datasets.length, 1);
    const files = (await apiCall(server, 'datasets.files', { project: projectDir, dataset: datasets[0].dataset.id })) as { path: string; excluded?: boolean }[];
    const excluded = files.filter((f) => f.excluded).map((f) => path.basename(f.path));
    assert.deepEqual(excluded, ['utt02.wav']);

    // From the keyboard: X on the selected file includes it again.
    await page.locator('[data-testid="file-row"][data-path$="utt02.wav"]').click();
    await page.keyboard.press('x');
    await page.getByTestId('file-none').waitFor();
    // Saved by a call of its own: wait for it to land.
    let stillExcluded = -1;
    for (let i = 0; i < 50 && stillExcluded !== 0; i++) {
      if (i > 0) await new Promise((r) => setTimeout(r, 100));
      const now = (await apiCall(server, 'datasets.files', { project: projectDir, dataset: datasets[0].dataset.id })) as { excluded?: boolean }[];
      stillExcluded = now.filter((f) => f.excluded).length;
    }
    assert.equal(stillExcluded, 0, 'included again, and saved');
    await page.getByTestId('filter-all').click();

    // ↓ moves the selection to the next file in the table's order.
    await page.getByTestId('file-rows').focus();
    await page.keyboard.press('ArrowDown');
    await page.waitForFunction(() => document.querySelector('[data-testid="file-row"][aria-selected="true"]')?.getAttribute('data-path')?.endsWith('utt03.wav'));
    assert.deepEqual(pageErrors, [], 'no errors in the page');
  });

  test('Train on this opens the Training section with the dataset', async () => {
    // The Training view may take the query at once (and clear it): record the URLs the router visits.
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { visited: string[] }).visited = seen;
      const push = history.pushState.bind(history);
      history.pushState = (data: unknown, unused: string, url?: string | URL | null) => {
        seen.push(String(url));
        push(data, unused, url);
      };
    });
    await page.getByTestId('dataset-train').click();
    await page.getByTestId('view-training').waitFor();
    const datasets = (await apiCall(server, 'datasets.list', { project: projectDir })) as { dataset: { id: string } }[];
    const visited = await page.evaluate(() => (window as unknown as { visited: string[] }).visited);
    assert.ok(visited.some((u) => u.endsWith(`#/training?dataset=${datasets[0].dataset.id}`)), visited.join(' | '));
  });
});
