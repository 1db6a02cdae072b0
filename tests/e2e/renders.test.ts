// The Renders section end to end in a real Chromium against browser mode: a project made on disk
// with two real renders (WAV files and their sidecars) and one broken sidecar; the list with drawn
// thumbnails and the broken one's reason; playing one (the audio element's clock advances), seeking
// by a click on the thumbnail, looping, the keyboard, the path, deleting one (asked first; gone from
// the list and from disk), the empty and failed states, and a project with hundreds of renders.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { createProject } from '../../main/engine/project/index';
import { writeRenderSidecar, type RenderSidecar } from '../../main/engine/project/render-sidecar';
import { decodeAudioFile } from '../../main/engine/audio/decode';
import { writeAudioFile } from '../../main/engine/audio/encode';
import { preset, withCondition } from '../../main/engine/model/config';
import { encodeModelFile } from '../../main/engine/model/model-file';
import { initialParams, paramSpecs } from '../../main/engine/model/params';
import { corpus, repoRoot } from '../helpers/paths';
import { apiCall, type BrowserMode, buildRenderer, collectPageErrors, e2eSkip, launchChromium, openProjectThroughUi, startBrowserMode } from './browser-mode';

const shotsDir = process.env.RENDERS_SHOTS_DIR ?? path.join(tmpdir(), 'renders-e2e-shots');

const skip = e2eSkip;

function sidecar(fields: Partial<RenderSidecar> & Pick<RenderSidecar, 'id' | 'file' | 'seconds' | 'createdAt'>): RenderSidecar {
  return {
    model: 'runs/run-07/checkpoints/12400/model.onnx',
    document: null,
    conditioning: null,
    seed: 1,
    temperature: 1,
    streams: 4,
    globalClass: null,
    sampleRate: 16000,
    format: 'wav16',
    ...fields,
  };
}

/** The audio elements the page has played, and how far along the last one is. */
async function audioClock(page: Page): Promise<{ count: number; currentTime: number; paused: boolean; duration: number }> {
  return page.evaluate(() => {
    const played = (window as unknown as { playedAudio: HTMLMediaElement[] }).playedAudio;
    const el = played[played.length - 1];
    return { count: played.length, currentTime: el?.currentTime ?? 0, paused: el?.paused ?? true, duration: el?.duration ?? 0 };
  });
}

/** How many pixels of each render's thumbnail canvas are drawn. */
async function thumbnailPixels(page: Page): Promise<number[]> {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll<HTMLCanvasElement>('[data-testid="render-canvas"]')).map((canvas) => {
      const ctx = canvas.getContext('2d');
      if (!ctx || canvas.width === 0 || canvas.height === 0) return 0;
      const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
      let lit = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) lit++;
      return lit / (canvas.width * canvas.height);
    }),
  );
}

async function openProject(page: Page, dir: string, name: string): Promise<void> {
  await openProjectThroughUi(page, dir);
  await page.waitForFunction((n) => document.querySelector('[data-testid="project-current"] h2')?.textContent === n, name);
}

describe('the Renders section in Chromium', { skip }, () => {
  let server: BrowserMode;
  let browser: Browser;
  let page: Page;
  let workDir: string;
  let projectDir: string;
  let rendersDir: string;
  const pageErrors: string[] = [];
  const shot = (name: string) => page.screenshot({ path: path.join(shotsDir, `renders-${name}.png`) });

  before(async () => {
    buildRenderer(repoRoot);
    mkdirSync(shotsDir, { recursive: true });
    workDir = mkdtempSync(path.join(tmpdir(), 'studio-renders-e2e-'));
    projectDir = path.join(workDir, 'Jig project');
    mkdirSync(projectDir);
    await createProject(projectDir, 'Jig project');
    rendersDir = path.join(projectDir, 'renders');
    mkdirSync(rendersDir, { recursive: true });

    // Two renders of real speech: the whole utterance (16-bit) and its first 1.5 s (24-bit).
    const speech = await decodeAudioFile(path.join(corpus, 'speech', 'en-us', 'utt01.wav'));
    const rate = speech.sampleRate;
    const whole = speech.channels[0]!;
    const short = whole.slice(0, Math.round(rate * 1.5));
    await writeAudioFile(path.join(rendersDir, 'jig-take1.wav'), whole, rate, 'wav16');
    await writeAudioFile(path.join(rendersDir, 'jig-take2.wav'), short, rate, 'wav24');
    await writeRenderSidecar(projectDir, sidecar({
      id: 'jig-take1', file: 'jig-take1.wav', seconds: whole.length / rate, sampleRate: rate, createdAt: '2025-05-03T10:00:00.000Z',
      document: 'jig', conditioning: 'document "Jig in D" (jig)', seed: 7, temperature: 0.9, renderSeconds: 1.25,
    }));
    await writeRenderSidecar(projectDir, sidecar({
      id: 'jig-take2', file: 'jig-take2.wav', seconds: short.length / rate, sampleRate: rate, createdAt: '2025-05-03T11:30:00.000Z',
      model: 'runs/run-03/checkpoints/800/model.onnx', conditioning: path.join(workDir, 'utt01.wav'), seed: 3, temperature: 0.75,
      globalClass: 'ana', format: 'wav24', renderSeconds: 6,
    }));
    // A sidecar cut short (a crash while writing by hand): listed with its reason, not fatal.
    writeFileSync(path.join(rendersDir, 'broken.json'), '{"id": "broken", "createdAt": ');

    server = await startBrowserMode(repoRoot);
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1360, height: 860 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url.origin });
    page = await context.newPage();
    // Remember every audio element the app plays, so the test can read its clock.
    await page.addInitScript(() => {
      const played: HTMLMediaElement[] = [];
      (window as unknown as { playedAudio: HTMLMediaElement[] }).playedAudio = played;
      const play = HTMLMediaElement.prototype.play;
      HTMLMediaElement.prototype.play = function (this: HTMLMediaElement) {
        if (!played.includes(this)) played.push(this);
        return play.call(this);
      };
    });
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
    await page.getByTestId('nav-renders').click();
    await page.getByTestId('renders-no-project').waitFor();
    await shot('no-project');
    assert.equal(await page.getByTestId('renders-to-projects').isVisible(), true);
  });

  test('lists the two renders newest first, with drawn thumbnails, and the broken sidecar with its reason', async () => {
    await openProject(page, projectDir, 'Jig project');
    await page.getByTestId('nav-renders').click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="render-row"]').length === 2, null, { timeout: 30_000 });

    assert.deepEqual(await page.getByTestId('render-name').allTextContents(), ['jig-take2', 'jig-take1'], 'newest first');
    const first = page.locator('[data-testid="render-row"][data-id="jig-take1"]');
    assert.equal(await first.getByTestId('render-document').textContent(), 'Jig in D', 'the document by its name');
    assert.equal(await first.getByTestId('render-model').textContent(), 'run-07 · step 12,400', 'the model by run and step');
    assert.equal(await first.getByTestId('render-settings').textContent(), 'seed 7 · temp 0.9');
    assert.match((await first.getByTestId('render-time').textContent()) ?? '', /1\.25 s.*× real time/);
    const second = page.locator('[data-testid="render-row"][data-id="jig-take2"]');
    assert.equal(await second.getByTestId('render-settings').textContent(), 'seed 3 · temp 0.75 · class ana');
    assert.equal(await second.getByTestId('render-length').textContent(), '1.50 s');
    assert.equal(await second.getByTestId('render-document').textContent(), 'utt01.wav', 'a file-conditioned render names its file');

    const pixels = await thumbnailPixels(page);
    assert.equal(pixels.length, 2, 'one canvas per render');
    for (const p of pixels) assert.ok(p > 0.05, `a thumbnail is drawn (${(p * 100).toFixed(1)}% of its pixels)`);

    await page.getByTestId('renders-invalid').waitFor();
    const invalid = await page.getByTestId('render-invalid').allTextContents();
    assert.equal(invalid.length, 1);
    assert.match(invalid[0]!, /broken\.json/);
    assert.ok(((await page.getByTestId('render-invalid-reason').textContent()) ?? '').trim().length > 10, 'the broken sidecar has a reason');
    await shot('full');
  });

  test('plays a render: the audio clock advances and the thumbnail shows the progress', async () => {
    const row = page.locator('[data-testid="render-row"][data-id="jig-take1"]');
    await row.getByTestId('render-play').click();
    await page.waitForFunction(() => {
      const played = (window as unknown as { playedAudio: HTMLMediaElement[] }).playedAudio;
      return played.length > 0 && played[played.length - 1]!.currentTime > 0.25;
    }, null, { timeout: 10_000 });
    const a = await audioClock(page);
    await page.waitForTimeout(400);
    const b = await audioClock(page);
    assert.equal(b.paused, false, 'it plays');
    assert.ok(b.currentTime > a.currentTime, `the audio clock advances (${a.currentTime} s → ${b.currentTime} s)`);
    assert.match((await row.getAttribute('class')) ?? '', /playing/);
    assert.equal(await row.getByTestId('render-play').getAttribute('aria-label'), 'Stop jig-take1');
    const progress = Number(await row.getByTestId('render-playhead').getAttribute('data-progress'));
    assert.ok(progress > 0, `the thumbnail shows the progress (${progress})`);
    await shot('playing');

    // One render at a time: the other one starts, this one stops.
    await page.locator('[data-testid="render-row"][data-id="jig-take2"]').getByTestId('render-play').click();
    await page.waitForFunction(() => document.querySelector('[data-id="jig-take2"] [data-testid="render-play"]')?.getAttribute('aria-label') === 'Stop jig-take2');
    assert.equal(await row.getByTestId('render-play').getAttribute('aria-label'), 'Play jig-take1');
    assert.equal(await row.getByTestId('render-playhead').count(), 0, 'the other row no longer shows a playhead');
    await page.locator('[data-testid="render-row"][data-id="jig-take2"]').getByTestId('render-play').click();
    await page.waitForFunction(() => document.querySelector('[data-id="jig-take2"] [data-testid="render-play"]')?.getAttribute('aria-label') === 'Play jig-take2');
  });

  test('a click on the thumbnail seeks there', async () => {
    const row = page.locator('[data-testid="render-row"][data-id="jig-take1"]');
    const thumb = row.getByTestId('render-thumbnail');
    const box = await thumb.boundingBox();
    assert.ok(box);
    await thumb.click({ position: { x: box.width * 0.75, y: box.height / 2 } });
    await page.waitForFunction(() => document.querySelector('[data-id="jig-take1"] [data-testid="render-play"]')?.getAttribute('aria-label') === 'Stop jig-take1');
    // The file loads (its length known) and plays from where the click was.
    await page.waitForFunction(() => {
      const played = (window as unknown as { playedAudio: HTMLMediaElement[] }).playedAudio;
      const el = played[played.length - 1];
      return el !== undefined && el.duration > 0 && !el.paused && el.readyState >= 2;
    }, null, { timeout: 10_000 });
    const clock = await audioClock(page);
    assert.ok(clock.duration > 0, 'the audio knows its length');
    const fraction = clock.currentTime / clock.duration;
    assert.ok(fraction > 0.68 && fraction < 0.9, `seeked to about 75%: ${clock.currentTime.toFixed(2)} s of ${clock.duration.toFixed(2)} s`);
    const progress = Number(await row.getByTestId('render-playhead').getAttribute('data-progress'));
    assert.ok(progress > 0.68, `the playhead moved there (${progress})`);
    await shot('seeked');
    // It plays to the end and stops there (loop off).
    await page.waitForFunction(() => document.querySelector('[data-id="jig-take1"] [data-testid="render-play"]')?.getAttribute('aria-label') === 'Play jig-take1', null, { timeout: 10_000 });
  });

  test('the keyboard selects, plays and stops; the loop starts a render over', async () => {
    await page.getByTestId('renders-list').focus();
    await page.keyboard.press('ArrowUp');
    assert.equal(await page.locator('[data-testid="render-row"][data-selected]').getAttribute('data-id'), 'jig-take2');
    await page.keyboard.press('ArrowDown');
    assert.equal(await page.locator('[data-testid="render-row"][data-selected]').getAttribute('data-id'), 'jig-take1');
    await page.keyboard.press('ArrowUp');

    // Loop on, then Space plays the selected short render past its end: the clock comes back round.
    await page.keyboard.press('l');
    assert.equal(await page.getByTestId('renders-loop').getAttribute('aria-pressed'), 'true');
    await page.keyboard.press('Space');
    await page.waitForFunction(() => document.querySelector('[data-id="jig-take2"] [data-testid="render-play"]')?.getAttribute('aria-label') === 'Stop jig-take2');
    let highest = 0;
    let wrapped = false;
    const until = Date.now() + 6000;
    while (Date.now() < until && !wrapped) {
      const { currentTime } = await audioClock(page);
      if (currentTime > highest) highest = currentTime;
      if (highest > 1.2 && currentTime < 0.6) wrapped = true;
      await page.waitForTimeout(50);
    }
    assert.ok(wrapped, `the looped render started over (reached ${highest.toFixed(2)} s)`);
    assert.equal(await page.locator('[data-id="jig-take2"] [data-testid="render-play"]').getAttribute('aria-label'), 'Stop jig-take2', 'it goes on playing');
    await shot('looping');

    await page.keyboard.press('Space');
    await page.waitForFunction(() => document.querySelector('[data-id="jig-take2"] [data-testid="render-play"]')?.getAttribute('aria-label') === 'Play jig-take2');
    assert.equal((await audioClock(page)).paused, true, 'Space stops');
    await page.keyboard.press('l');
    assert.equal(await page.getByTestId('renders-loop').getAttribute('aria-pressed'), 'false');
  });

  test('shows and copies the path of a render', async () => {
    const row = page.locator('[data-testid="render-row"][data-id="jig-take1"]');
    await row.getByTestId('render-show-path').click();
    await row.getByTestId('render-path').waitFor();
    const wav = path.join(rendersDir, 'jig-take1.wav');
    assert.match((await row.getByTestId('render-path').textContent()) ?? '', new RegExp(wav.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    await page.waitForFunction(() => /Copied|copy/.test(document.querySelector('[data-testid="render-path"]')?.textContent ?? ''));
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), wav, 'the path is on the clipboard');
    await shot('path');
    await row.getByTestId('render-show-path').click();
    await row.getByTestId('render-path').waitFor({ state: 'detached' });
  });

  test('exports a render with its sidecar to a chosen path', async () => {
    const row = page.locator('[data-testid="render-row"][data-id="jig-take1"]');
    await row.getByTestId('render-export').click();
    const out = path.join(workDir, 'out', 'take.wav');
    await page.getByTestId('export-path').fill(out);
    await page.getByTestId('export-confirm').click();
    await page.getByTestId('export-dialog').waitFor({ state: 'detached' });
    for (let i = 0; i < 100 && !existsSync(`${out}.json`); i++) await page.waitForTimeout(50);
    assert.deepEqual(readFileSync(out), readFileSync(path.join(rendersDir, 'jig-take1.wav')), 'the same audio');
    assert.equal((JSON.parse(readFileSync(`${out}.json`, 'utf8')) as { file: string }).file, 'take.wav');
  });

  test('deletes a render after asking: gone from the list and from disk', async () => {
    // Delete asks; Cancel keeps it.
    await page.getByTestId('renders-list').focus();
    const row = page.locator('[data-testid="render-row"][data-id="jig-take2"]');
    await row.click({ position: { x: 300, y: 10 } });
    await page.keyboard.press('Delete');
    await page.getByTestId('render-confirm').waitFor();
    await shot('confirm-delete');
    await page.keyboard.press('Escape');
    await page.getByTestId('render-confirm').waitFor({ state: 'detached' });
    assert.equal(await page.getByTestId('render-row').count(), 2);

    await row.getByTestId('render-delete').click();
    await page.getByTestId('render-confirm').waitFor();
    await page.getByTestId('render-confirm-delete').click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="render-row"]').length === 1);
    assert.deepEqual(await page.getByTestId('render-name').allTextContents(), ['jig-take1']);
    assert.equal(existsSync(path.join(rendersDir, 'jig-take2.wav')), false, 'the audio is deleted');
    assert.equal(existsSync(path.join(rendersDir, 'jig-take2.json')), false, 'the sidecar is deleted');
    assert.equal(existsSync(path.join(rendersDir, 'jig-take1.wav')), true, 'the other render stays');
    await shot('after-delete');
  });

  test('an unreadable renders folder shows the reason and recovers', async () => {
    renameSync(rendersDir, `${rendersDir}.moved`);
    writeFileSync(rendersDir, 'not a folder');
    await page.getByTestId('renders-refresh').click();
    await page.getByTestId('renders-failed').waitFor();
    assert.ok(((await page.getByTestId('renders-error').textContent()) ?? '').trim().length > 0, 'the failure has a reason');
    await shot('failed');
    rmSync(rendersDir);
    renameSync(`${rendersDir}.moved`, rendersDir);
    await page.getByTestId('renders-retry').click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="render-row"]').length === 1);
  });

  test('the last render deleted leaves the empty state, pointing to the Editor', async () => {
    await page.locator('[data-testid="render-row"][data-id="jig-take1"]').getByTestId('render-delete').click();
    await page.getByTestId('render-confirm-delete').click();
    await page.getByTestId('renders-to-editor').waitFor();
    assert.equal(await page.getByTestId('render-invalid').count(), 1, 'the broken sidecar is still listed');
    await shot('empty');
  });

  test('a render job that finishes appears in the list at once', async () => {
    // A tiny mel-conditioned model with initial weights, as a checkpoint of a run of the project.
    const cfg = withCondition(preset('tiny'), 'mel');
    const checkpoint = path.join(projectDir, 'runs', 'run-01', 'checkpoints', '500');
    mkdirSync(checkpoint, { recursive: true });
    await writeFile(path.join(checkpoint, 'model.onnx'), encodeModelFile(cfg, initialParams(paramSpecs(cfg), 3)));
    // Started by another client (the CLI's peer, another window): the open view still hears it end.
    await apiCall(server, 'jobs.start', {
      kind: 'render', model: path.join(checkpoint, 'model.onnx'), project: projectDir, out: path.join(rendersDir, 'fresh.wav'),
      source: { type: 'audio', path: path.join(corpus, 'speech', 'en-us', 'utt01.wav') },
      settings: { seed: 5, streams: 2, maxSeconds: 0.5 },
    });
    await page.locator('[data-testid="render-row"][data-id="fresh"]').waitFor({ timeout: 120_000 });
    const row = page.locator('[data-testid="render-row"][data-id="fresh"]');
    assert.equal(await row.getByTestId('render-model').textContent(), 'run-01 · step 500');
    assert.equal(await row.getByTestId('render-settings').textContent(), 'seed 5 · temp 1');
    assert.equal(await row.getByTestId('render-length').textContent(), '0.50 s');
    assert.match((await row.getByTestId('render-time').textContent()) ?? '', /× real time/);
    assert.ok((await thumbnailPixels(page))[0]! > 0, 'its thumbnail is drawn');
    await row.getByTestId('render-play').click();
    await page.waitForFunction(() => document.querySelector('[data-id="fresh"] [data-testid="render-play"]')?.getAttribute('aria-label') === 'Stop fresh');
    await shot('fresh-render');
    await page.waitForFunction(() => document.querySelector('[data-id="fresh"] [data-testid="render-play"]')?.getAttribute('aria-label') === 'Play fresh', null, { timeout: 10_000 });
  });

  test('hundreds of renders: listed at once, filtered by model and document', async () => {
    const bigDir = path.join(workDir, 'Big project');
    mkdirSync(bigDir);
    await createProject(bigDir, 'Big project');
    const speech = await decodeAudioFile(path.join(corpus, 'speech', 'en-us', 'utt01.wav'));
    const rate = speech.sampleRate;
    const count = 300;
    for (let i = 0; i < count; i++) {
      const id = `take-${String(i).padStart(3, '0')}`;
      const start = Math.round((i % 10) * rate * 0.1);
      const samples = speech.channels[0]!.slice(start, start + Math.round(rate * (0.5 + (i % 5) * 0.25)));
      await writeAudioFile(path.join(bigDir, 'renders', `${id}.wav`), samples, rate, 'wav16');
      await writeRenderSidecar(bigDir, sidecar({
        id, file: `${id}.wav`, seconds: samples.length / rate, sampleRate: rate,
        createdAt: new Date(Date.UTC(2025, 4, 1) + i * 60_000).toISOString(),
        model: `runs/run-0${i % 3}/checkpoints/${(i % 4 + 1) * 1000}/model.onnx`,
        document: i % 2 === 0 ? 'reel' : 'hornpipe', conditioning: i % 2 === 0 ? 'document "Reel" (reel)' : 'document "Hornpipe" (hornpipe)',
        seed: i, temperature: 0.5 + (i % 6) / 10, renderSeconds: 0.3 + (i % 7) / 10,
      }));
    }
    await openProject(page, bigDir, 'Big project');
    const t0 = Date.now();
    await page.getByTestId('nav-renders').click();
    // The first listing reads 300 files for their thumbnails: the view says it is loading meanwhile.
    if (await page.getByTestId('renders-loading').isVisible()) await shot('loading');
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="render-row"]').length === n, count, { timeout: 60_000 });
    const shownAfter = Date.now() - t0;
    assert.equal(await page.locator('[data-testid="render-row"]').first().getAttribute('data-id'), 'take-299', 'newest first');
    assert.equal((await thumbnailPixels(page)).filter((p) => p > 0.02).length, count, 'every thumbnail drawn');
    await shot('hundreds');

    // The list answers at once: moving the selection and scrolling 300 rows stays quick.
    await page.getByTestId('renders-list').focus();
    const t1 = Date.now();
    for (let i = 0; i < 20; i++) await page.keyboard.press('ArrowDown');
    await page.waitForFunction(() => document.querySelector('[data-testid="render-row"][data-selected]')?.getAttribute('data-id') === 'take-280');
    const keysTook = Date.now() - t1;
    assert.ok(keysTook < 3000, `20 key presses answered in ${keysTook} ms`);

    await page.getByTestId('renders-filter-model').selectOption({ label: 'run-01 · step 2,000 (25)' });
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="render-row"]').length === 25);
    await page.getByTestId('renders-filter-document').selectOption({ label: 'Reel (150)' });
    // run-01 is i % 3 === 1, step 2,000 is i % 4 === 1, Reel is i even: none is all three.
    await page.getByTestId('renders-no-match').waitFor();
    await page.getByTestId('renders-filter-model').selectOption('');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="render-row"]').length === 150);
    assert.match((await page.getByTestId('renders-count').textContent()) ?? '', /150 of 300 renders/);
    await shot('filtered');

    // The OS switching to dark: the thumbnails are drawn again in the dark theme's colours.
    const accentPixel = () => page.evaluate(() => {
      const canvas = document.querySelector<HTMLCanvasElement>('[data-testid="render-canvas"]')!;
      const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      for (let i = 0; i < data.length; i += 4) if (data[i + 3] === 255) return [data[i], data[i + 1], data[i + 2]].join(',');
      return '';
    });
    const light = await accentPixel();
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.waitForFunction((before) => {
      const canvas = document.querySelector<HTMLCanvasElement>('[data-testid="render-canvas"]')!;
      const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      for (let i = 0; i < data.length; i += 4) if (data[i + 3] === 255) return [data[i], data[i + 1], data[i + 2]].join(',') !== before;
      return false;
    }, light);
    assert.notEqual(await accentPixel(), light);
    await shot('dark');
    await page.emulateMedia({ colorScheme: 'light' });
    console.log(`# 300 renders listed ${shownAfter} ms after opening the section`);
    assert.deepEqual(pageErrors, [], 'no errors in the page');
  });
});
