// "Reshape a voice" end to end in a real Chromium against browser mode with the real worker: a
// project with a tiny mel-conditioned model trained for a few steps by the CLI; in the UI, open it,
// New → mel sheet from a 3.4 s utterance, one brush stroke, undo and redo, render the whole sheet
// with the tiny model (a document render goes through the project's segment cache, ½ s segments
// under renders/.cache), play the render; then shift a region in the first 0.4 s up a band, save,
// render again with the same seed: only the segment the edit touched is rendered again, the others
// are reused from the cache, and the audio after the first segment is the same, sample for sample.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { createProject } from '../../main/engine/project/index';
import { runCli } from '../helpers/cli';
import { corpus, repoRoot } from '../helpers/paths';
import { apiCall, type BrowserMode, buildRenderer, chooseFileInFolderBrowser, collectPageErrors, e2eSkip, launchChromium, openProjectThroughUi, startBrowserMode } from './browser-mode';

const shotsDir = process.env.MEL_RENDER_SHOTS ?? path.join(repoRoot, 'test-results', 'e2e', 'mel-render');
const speech = path.join(corpus, 'speech', 'en-us');
/** The utterance the sheet is made from: 3.37 s at 16 kHz, so seven ½ s segments. */
const UTTERANCE = 'utt03.wav';
const RATE = 16000;
const SEGMENT = RATE / 2; // ½ s segments at 16 kHz (hop 200)
const CROSSFADE = 320;

const skip = e2eSkip;

interface SheetGeometry {
  left: number;
  top: number;
  height: number;
  pxPerFrame: number;
  pxPerBin: number;
  scrollLeft: number;
  band0: number;
}

interface Sidecar {
  id: string;
  createdAt: string;
  seed: number;
  seconds: number;
  file: string;
  segments?: { seconds: number; rendered: number; reused: number; total: number };
}

interface PlanEntry {
  index: number;
  start: number;
  end: number;
  cached: boolean;
}

async function geometry(page: Page): Promise<SheetGeometry> {
  return page.evaluate(() => {
    const canvas = document.querySelector<HTMLCanvasElement>('[data-testid="mel-sheet"]')!;
    const r = canvas.getBoundingClientRect();
    const d = canvas.dataset;
    return { left: r.left, top: r.top, height: r.height, pxPerFrame: Number(d.pxPerFrame), pxPerBin: Number(d.pxPerBin), scrollLeft: Number(d.scrollLeft), band0: Number(d.band0) };
  });
}

/** Where the centre of cell (frame, bin) is on the page. */
function cellPoint(g: SheetGeometry, frame: number, bin: number): { x: number; y: number } {
  return { x: g.left + (frame + 0.5) * g.pxPerFrame - g.scrollLeft, y: g.top + g.height - (bin - g.band0 + 0.5) * g.pxPerBin };
}

async function editorData(page: Page): Promise<Record<string, string>> {
  return page.getByTestId('mel-editor').evaluate((el) => ({ ...(el as HTMLElement).dataset }) as Record<string, string>);
}

async function checksum(page: Page): Promise<string> {
  return (await page.getByTestId('mel-editor').getAttribute('data-checksum')) ?? '';
}

/** The 16-bit samples of a WAV file's data chunk. */
function wavSamples(file: string): Int16Array {
  const buf = readFileSync(file);
  let at = 12;
  while (at + 8 <= buf.length) {
    const id = buf.toString('ascii', at, at + 4);
    const size = buf.readUInt32LE(at + 4);
    if (id === 'data') return new Int16Array(buf.buffer.slice(buf.byteOffset + at + 8, buf.byteOffset + at + 8 + size));
    at += 8 + size + (size % 2);
  }
  throw new Error(`${file}: no data chunk`);
}

/** The project's render sidecars, oldest first. */
function sidecars(projectDir: string): Sidecar[] {
  const dir = path.join(projectDir, 'renders');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as Sidecar)
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

/** Every text the render panel's figures line shows from now on (it exists only while a job runs). */
async function recordFigures(page: Page): Promise<void> {
  await page.evaluate(`(() => {
    window.__figures = [];
    const note = () => {
      const t = document.querySelector('[data-testid="render-figures"]')?.textContent ?? '';
      if (t && window.__figures[window.__figures.length - 1] !== t) window.__figures.push(t);
    };
    window.__figuresObserver?.disconnect();
    window.__figuresObserver = new MutationObserver(note);
    window.__figuresObserver.observe(document.body, { subtree: true, childList: true, characterData: true });
  })()`);
}

async function recordedFigures(page: Page): Promise<string[]> {
  return (await page.evaluate('window.__figures')) as string[];
}

describe('reshape a voice: a mel sheet rendered through the segment cache, in Chromium', { skip }, () => {
  let server: BrowserMode;
  let browser: Browser;
  let page: Page;
  let workDir: string;
  let projectDir: string;
  let recordings: string;
  let modelPath: string;
  let documentId = '';
  let firstRender: Sidecar | null = null;
  const pageErrors: string[] = [];

  before(async () => {
    buildRenderer(repoRoot);
    mkdirSync(shotsDir, { recursive: true });
    workDir = mkdtempSync(path.join(tmpdir(), 'studio-mel-render-e2e-'));
    projectDir = path.join(workDir, 'Voice project');
    mkdirSync(projectDir);
    await createProject(projectDir, 'Voice project');

    // A tiny mel model, trained for a few steps on three utterances.
    const data = path.join(workDir, 'data');
    mkdirSync(data);
    for (const f of ['utt01.wav', 'utt05.wav', 'utt07.wav']) copyFileSync(path.join(speech, f), path.join(data, f));
    const trained = await runCli(['train', data, '--run', path.join(projectDir, 'runs', 'tiny-mel'), '--preset', 'tiny', '--steps', '4', '--threads', '2'], 240_000);
    assert.equal(trained.code, 0, `training the tiny mel model failed:\n${trained.stdout}\n${trained.stderr}`);
    modelPath = path.join(projectDir, 'runs', 'tiny-mel', 'checkpoints', '4', 'model.onnx');
    assert.ok(existsSync(modelPath), `the checkpoint is at ${modelPath}`);

    // The utterance to reshape, outside the project (New → mel sheet copies it in).
    recordings = path.join(workDir, 'recordings');
    mkdirSync(recordings);
    copyFileSync(path.join(speech, UTTERANCE), path.join(recordings, UTTERANCE));

    server = await startBrowserMode(repoRoot);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    // A loaded two-core machine answers slowly at times: more than the default 30 s for every wait.
    page.setDefaultTimeout(60_000);
    collectPageErrors(page, pageErrors);
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  test('New → mel sheet from an utterance; one brush stroke, undo, redo', async () => {
    await page.goto(server.url.href);
    await page.getByTestId('app-frame').waitFor();
    await openProjectThroughUi(page, projectDir);

    await page.getByTestId('nav-editor').click();
    await page.getByTestId('editor-empty-audio').click();
    await page.getByTestId('new-document-dialog').waitFor();
    await chooseFileInFolderBrowser(page, path.join(recordings, UTTERANCE));
    await page.getByTestId('new-create').click();
    await page.getByTestId('mel-editor').waitFor({ timeout: 60_000 });
    documentId = (await page.locator('[data-testid="document-item"][aria-selected="true"]').getAttribute('data-id')) ?? '';
    assert.ok(documentId, 'the new mel sheet is listed with its id');
    const frames = Number((await editorData(page)).frames);
    assert.ok(frames > 3 * 80 && frames <= 4 * 80, `a 3.4 s sheet at 80 frames/s (${frames} frames)`);

    // One stroke in the last second: raise 12 dB.
    const original = await checksum(page);
    await page.keyboard.press('2');
    assert.equal((await editorData(page)).tool, 'raise');
    await page.getByTestId('mel-brush-db').fill('12');
    // Out of the number field: the editor leaves keys typed into a text field to it (Ctrl+Z included).
    await page.getByTestId('mel-brush-db').blur();
    const g = await geometry(page);
    const points = Array.from({ length: 16 }, (_, i) => cellPoint(g, 250 + i, 30 + i));
    await page.mouse.move(points[0]!.x, points[0]!.y);
    await page.mouse.down();
    for (const p of points.slice(1)) await page.mouse.move(p.x, p.y);
    await page.mouse.up();
    const stroked = await checksum(page);
    assert.notEqual(stroked, original, 'the stroke changed the sheet');
    await page.keyboard.press('Control+z');
    assert.equal(await checksum(page), original, 'undo takes the stroke back');
    await page.keyboard.press('Control+Shift+z');
    assert.equal(await checksum(page), stroked, 'redo puts it back');
    await page.screenshot({ path: path.join(shotsDir, 'mel-render-stroke.png') });
  });

  test('renders the whole sheet with the tiny mel model in ½ s segments, lists the render and plays it', async () => {
    const options = await page.locator('[data-testid="render-model"] option').allTextContents();
    assert.ok(options.some((o) => o.startsWith('tiny-mel · step 4')), `the tiny mel checkpoint is offered: ${options.join(' | ')}`);
    await page.getByTestId('render-model').selectOption(modelPath);
    await page.getByTestId('render-seed').fill('7');
    assert.equal(await page.getByTestId('render-seconds').inputValue(), '', 'no preview length: the whole sheet');

    await recordFigures(page);
    await page.getByTestId('render-start').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="render-job"]')?.getAttribute('data-state') === 'done', null, { timeout: 150_000 });
    await page.getByTestId('render-done').waitFor();
    await page.getByTestId('render-item').first().waitFor();
    assert.equal(await page.getByTestId('render-item').count(), 1);
    const figures = await recordedFigures(page);
    console.log(`first render: ${figures.at(-1)}`);
    assert.ok(figures.some((f) => /segments \d\/7 rendered/.test(f)), `the figures count 7 segments: ${JSON.stringify(figures)}`);
    assert.ok(!figures.some((f) => /reused/.test(f)), 'an empty cache reuses nothing');

    const renders = sidecars(projectDir);
    assert.equal(renders.length, 1);
    firstRender = renders[0]!;
    assert.equal(firstRender.seed, 7);
    assert.deepEqual(firstRender.segments, { seconds: 0.5, rendered: 7, reused: 0, total: 7 }, 'all seven segments rendered');
    const item = page.getByTestId('render-item').first();
    assert.equal(await item.getAttribute('data-path'), path.join(projectDir, 'renders', firstRender.file));
    assert.match((await item.textContent()) ?? '', /3\.4 s · seed 7 · T 1/);

    await item.getByTestId('render-play').click();
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="render-item"]')?.getAttribute('data-position')) > 0.2, null, { timeout: 15_000 });
    await page.screenshot({ path: path.join(shotsDir, 'mel-render-playing.png') });
    await item.getByTestId('render-play').click();

    const plan = (await apiCall(server, 'renders.segments', { project: projectDir, id: documentId, model: modelPath, settings: { seed: 7, temperature: 1, device: 'cpu' } })) as PlanEntry[];
    assert.deepEqual(plan.map((p) => p.cached), [true, true, true, true, true, true, true], 'the cache holds every segment');
    await page.waitForFunction(() => document.querySelector('[data-testid="mel-segments"]')?.getAttribute('data-count') === '7', null, { timeout: 10_000 });
  });

  test('a region shifted in the first 0.4 s, saved and rendered again: only the first segment is rendered, the rest reused', async () => {
    const before = await checksum(page);
    await page.getByTestId('mel-tool-select').click();
    assert.equal((await editorData(page)).tool, 'select');
    const g = await geometry(page);
    // Frames 6–30: segment 1 (frames 40–79) reads from frame 37 on (its warm-up and the upsampler's context).
    const a = cellPoint(g, 6, 8);
    const b = cellPoint(g, 30, 40);
    await page.mouse.move(a.x, a.y);
    await page.mouse.down();
    await page.mouse.move(b.x, b.y, { steps: 6 });
    await page.mouse.up();
    assert.match((await page.getByTestId('mel-selection').textContent()) ?? '', /cells$/);
    await page.keyboard.press('ArrowUp');
    assert.notEqual(await checksum(page), before, 'the region moved up a band');
    assert.equal(await page.getByTestId('save-state').getAttribute('data-state'), 'unsaved');
    await page.keyboard.press('Control+s');
    await page.waitForFunction(() => document.querySelector('[data-testid="save-state"]')?.getAttribute('data-state') === 'saved', null, { timeout: 20_000 });

    // Saved: the segment the edit reaches is out of date, those after it are still cached.
    const plan = (await apiCall(server, 'renders.segments', { project: projectDir, id: documentId, model: modelPath, settings: { seed: 7, temperature: 1, device: 'cpu' } })) as PlanEntry[];
    assert.deepEqual(plan.map((p) => p.cached), [false, true, true, true, true, true, true], 'only the first segment is stale');
    await page.screenshot({ path: path.join(shotsDir, 'mel-render-edited.png') });

    assert.equal(await page.getByTestId('render-seed').inputValue(), '7', 'the same seed');
    await recordFigures(page);
    await page.getByTestId('render-start').click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="render-item"]').length === 2, null, { timeout: 120_000 });
    await page.waitForFunction(() => document.querySelector('[data-testid="render-job"]')?.getAttribute('data-state') === 'done', null, { timeout: 120_000 });
    const figures = await recordedFigures(page);
    console.log(`second render: ${figures.at(-1)}`);
    const counted = figures.filter((t) => /segments/.test(t));
    assert.ok(counted.length > 0, `the figures count segments: ${JSON.stringify(figures)}`);
    for (const f of counted) assert.match(f, /segments [01]\/1 rendered, 6 reused/, 'the figures say one segment to render, six reused');

    const renders = sidecars(projectDir);
    assert.equal(renders.length, 2);
    const second = renders[1]!;
    assert.equal(second.seed, 7);
    assert.deepEqual(second.segments, { seconds: 0.5, rendered: 1, reused: 6, total: 7 }, 'one segment rendered again, six reused');
    assert.equal(second.seconds, firstRender!.seconds);
    // The render panel showed both renders finish: no notification said it again.
    assert.equal(await page.getByTestId('notification-success').count(), 0, 'no "Render finished" over the sheet');
    await page.screenshot({ path: path.join(shotsDir, 'mel-render-second.png') });

    // The reused segments are the same audio: from the end of the first segment's crossfade on, the
    // two renders are equal sample for sample; the first segment changed with its conditioning.
    const one = wavSamples(path.join(projectDir, 'renders', firstRender!.file));
    const two = wavSamples(path.join(projectDir, 'renders', second.file));
    assert.equal(two.length, one.length);
    const tail = SEGMENT + CROSSFADE;
    let differ = 0;
    for (let i = tail; i < one.length; i++) if (one[i] !== two[i]) differ++;
    assert.equal(differ, 0, 'the audio after the edited segment is unchanged');
    let changed = 0;
    for (let i = 0; i < SEGMENT; i++) if (one[i] !== two[i]) changed++;
    assert.ok(changed > 0, 'the edited segment was rendered from the new sheet');
    assert.deepEqual(pageErrors, [], 'no errors in the page');
  });
});
