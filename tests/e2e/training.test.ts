// The Training section end to end in a real Chromium against browser mode and the real worker:
// the empty states, the new-run form (preselected from ?dataset=, problems in place, a measured
// step time), a tiny run started from the UI whose chart gains points while its loss falls,
// pause and resume, a checkpoint, a reload mid-run that finds the run still live with its
// history, a run started with the CLI that appears and updates, and the time of one chart
// update with 100,000 points.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { createProject } from '../../main/engine/project/index';
import { addDataset } from '../../main/engine/project/datasets';
import { importDataset } from '../../main/engine/dataset/import/index';
import type { chartUpdateBench } from '../../renderer/src/training/bench';
import { runCli, type CliResult } from '../helpers/cli';
import { corpus, repoRoot } from '../helpers/paths';
import { type BrowserMode, buildRenderer, collectPageErrors, e2eSkip, launchChromium, openProjectThroughUi, startBrowserMode } from './browser-mode';

const shotsDir = process.env.TRAINING_SHOTS ?? path.join(repoRoot, 'test-results', 'e2e', 'training');

const skip = e2eSkip;

describe('the Training section in Chromium', { skip, timeout: 240_000 }, () => {
  let server: BrowserMode;
  let browser: Browser;
  let page: Page;
  let workDir: string;
  let project: string;
  let emptyProject: string;
  let datasetId: string;
  let runId = '';
  const pageErrors: string[] = [];

  const shot = (name: string): Promise<Buffer> => page.screenshot({ path: path.join(shotsDir, `${name}.png`) });
  const stepOf = async (): Promise<number> => Number(((await page.getByTestId('run-step').textContent()) ?? '0').replace(/,/g, ''));
  const charts = () => page.getByTestId('charts');
  const records = async (): Promise<number> => Number((await charts().getAttribute('data-records')) ?? 0);

  before(async () => {
    mkdirSync(shotsDir, { recursive: true });
    workDir = mkdtempSync(path.join(tmpdir(), 'studio-training-e2e-'));
    // A project with an imported dataset of five short utterances, built with the engine.
    const audio = path.join(workDir, 'voice');
    mkdirSync(audio);
    for (const n of ['01', '03', '05', '07', '09']) copyFileSync(path.join(corpus, 'speech', 'en-us', `utt${n}.wav`), path.join(audio, `utt${n}.wav`));
    project = path.join(workDir, 'Voice project');
    mkdirSync(project);
    await createProject(project, 'Voice project');
    const dataset = await addDataset(project, { name: 'voice', folders: [audio] });
    datasetId = dataset.id;
    await importDataset(project, datasetId);
    emptyProject = path.join(workDir, 'Empty project');
    mkdirSync(emptyProject);
    await createProject(emptyProject, 'Empty project');

    buildRenderer(repoRoot);
    server = await startBrowserMode(repoRoot);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
    collectPageErrors(page, pageErrors);
    await page.goto(server.url.href);
    await page.getByTestId('app-frame').waitFor();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    if (workDir && !process.env.KEEP_WORKDIR) rmSync(workDir, { recursive: true, force: true });
  });

  test('empty states: no project, a project without datasets, one without runs', async () => {
    await page.keyboard.press('Control+3');
    await page.getByTestId('training-no-project').waitFor();
    await shot('1-no-project');

    await openProjectThroughUi(page, emptyProject);
    await page.keyboard.press('Control+3');
    await page.getByTestId('training-to-datasets').waitFor();
    await shot('2-no-dataset');

    await openProjectThroughUi(page, project);
    await page.keyboard.press('Control+3');
    await page.getByTestId('training-empty-new').waitFor();
    await shot('3-no-runs');
    assert.deepEqual(pageErrors, []);
  });

  test('the new-run form: dataset from ?dataset=, problems in place, parameters, receptive field and a measured step time', async () => {
    await page.evaluate((id) => (window.location.hash = `#/training?dataset=${id}`), datasetId);
    const form = page.getByTestId('new-run-form');
    await form.waitFor();
    assert.equal(await page.getByTestId('run-dataset').inputValue(), datasetId);
    await page.getByTestId('run-preset-tiny').click();
    await page.getByTestId('run-advanced').click();
    await page.getByTestId('run-steps').fill('60');
    await page.getByTestId('run-batch').fill('2');
    await page.getByTestId('run-validateEvery').fill('20');
    await page.getByTestId('run-checkpointEvery').fill('20');
    // A segment length that is not a multiple of the hop is refused beside its field, with the reason.
    await page.getByTestId('run-length').fill('2001');
    await page.getByTestId('problem-length').waitFor();
    assert.match((await page.getByTestId('problem-length').textContent()) ?? '', /multiple of the hop/);
    assert.equal(await page.getByTestId('run-start').isDisabled(), true);
    await page.getByTestId('run-batch').fill('two');
    await page.getByTestId('problem-batch').waitFor();
    await shot('4-form-problems');
    await page.getByTestId('run-batch').fill('2');
    await page.getByTestId('run-length').fill('2000');
    await page.getByTestId('problem-length').waitFor({ state: 'detached' });
    await page.getByTestId('problem-batch').waitFor({ state: 'detached' });

    assert.match((await page.getByTestId('run-parameters').textContent()) ?? '', /^\d{1,3}(,\d{3})+$/);
    assert.match((await page.getByTestId('run-receptive').textContent()) ?? '', /^\d+\.\d ms$/);
    // The estimate job times a few real steps (the figure ends with the device it ran on).
    await page.getByTestId('run-remeasure').click();
    await page.waitForFunction(() => /on cpu/.test(document.querySelector('[data-testid="run-estimate"]')?.textContent ?? ''), null, { timeout: 60_000 });
    await page.getByTestId('run-start').waitFor({ state: 'visible' });
    await page.waitForFunction(() => !(document.querySelector('[data-testid="run-start"]') as HTMLButtonElement | null)?.disabled);
    await shot('5-form-ready');
  });

  test('a tiny run started from the form: live, its chart gains points and the loss falls', async () => {
    await page.getByTestId('run-start').click();
    await page.getByTestId('run-page').waitFor();
    runId = ((await page.getByTestId('run-title').textContent()) ?? '').trim();
    assert.match(runId, /^run-\d{8}-\d{6}(-\d+)?$/);
    await shot('6-starting');
    await page.waitForFunction(() => document.querySelector('[data-testid="run-state"]')?.textContent?.includes('live'), null, { timeout: 60_000 });
    // The chart follows metrics.jsonl: at least six logged steps (every 5), then the loss has fallen.
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="charts"]')?.getAttribute('data-records') ?? 0) >= 6, null, { timeout: 60_000 });
    const first = Number(await charts().getAttribute('data-first-loss'));
    const last = Number(await charts().getAttribute('data-last-loss'));
    assert.ok(first > 5 && first < 6, `the first loss is near ln 256 = 5.55 nats: ${first}`);
    assert.ok(last < first - 0.3, `the loss fell: ${first} → ${last}`);
    assert.equal(await page.getByTestId(`run-${runId}`).getAttribute('data-state'), 'running');
    await shot('7-live');
  });

  test('pause holds the run; a reload mid-run finds it with its history; resume lets it go on, followed live', async () => {
    await page.getByTestId('run-pause').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="run-state"]')?.textContent?.includes('paused'));
    await page.waitForTimeout(1000);
    const held = await stepOf();
    await page.waitForTimeout(1500);
    assert.equal(await stepOf(), held, 'no steps while paused');
    await shot('8-paused');

    // The run lives in the worker: a reload (here while it waits, so it cannot finish meanwhile)
    // finds it through the jobs list, reopens its project and reads its history.
    const before = await records();
    await page.reload();
    await page.getByTestId('run-page').waitFor({ timeout: 30_000 });
    await page.waitForFunction((id) => document.querySelector('[data-testid="run-title"]')?.textContent?.trim() === id, runId);
    await page.waitForFunction(() => document.querySelector('[data-testid="run-state"]')?.textContent?.includes('paused'), null, { timeout: 10_000 });
    await page.waitForFunction((n) => Number(document.querySelector('[data-testid="charts"]')?.getAttribute('data-records') ?? 0) >= n, before, { timeout: 20_000 });
    assert.equal(await stepOf(), held);
    await shot('9-reloaded');

    await page.getByTestId('run-unpause').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="run-state"]')?.textContent?.includes('live'));
    await page.waitForFunction((s) => Number((document.querySelector('[data-testid="run-step"]')?.textContent ?? '0').replace(/,/g, '')) > s, held, { timeout: 30_000 });
    const after = await records();
    await page.waitForFunction((n) => Number(document.querySelector('[data-testid="charts"]')?.getAttribute('data-records') ?? 0) > n, after, { timeout: 30_000 });
    await shot('9-after-reload');
  });

  test('checkpoints appear with their validation loss; the run finishes with samples to play', async () => {
    const row = page.getByTestId('checkpoint-20');
    await row.waitFor({ timeout: 60_000 });
    assert.match((await row.textContent()) ?? '', /\d\.\d{3} nats/);
    // It finishes: ✓ in the list, the last checkpoint at step 60 with the best one starred, and samples to play.
    await page.waitForFunction((id) => document.querySelector(`[data-testid="run-${id}"]`)?.getAttribute('data-state') === 'finished', runId, { timeout: 90_000 });
    await page.getByTestId('checkpoint-60').waitFor({ timeout: 20_000 });
    await page.getByTestId('checkpoint-best').waitFor();
    await page.getByTestId('sample-list').waitFor({ timeout: 20_000 });
    await shot('10-finished');
    assert.deepEqual(pageErrors, []);
  });

  test('a worker killed mid-run leaves the run interrupted; Resume in the UI continues from its checkpoint', async () => {
    // Train the finished run further, then kill its engine worker (the pid in its train.lock) as a crash would.
    await page.getByTestId('run-further').click();
    await page.getByTestId('run-further-steps').fill('400');
    await page.getByTestId('run-further-start').click();
    await page.getByTestId('checkpoint-80').waitFor({ timeout: 90_000 });
    const lock = JSON.parse(readFileSync(path.join(project, 'runs', runId, 'train.lock'), 'utf8')) as { pid: number };
    process.kill(lock.pid, 'SIGKILL');
    await page.waitForFunction((id) => document.querySelector(`[data-testid="run-${id}"]`)?.getAttribute('data-state') === 'interrupted', runId, { timeout: 30_000 });
    await page.getByTestId('run-interrupted').waitFor();
    await shot('10b-interrupted');
    const checkpoints = readdirSync(path.join(project, 'runs', runId, 'checkpoints')).filter((n) => /^\d+$/.test(n)).map(Number);
    const from = Math.max(...checkpoints);
    assert.ok(from >= 80, `the last checkpoint survived the crash: ${checkpoints.join(', ')}`);

    await page.getByTestId('run-resume').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="run-state"]')?.textContent?.includes('live'), null, { timeout: 60_000 });
    await page.waitForFunction((s) => Number((document.querySelector('[data-testid="run-step"]')?.textContent ?? '0').replace(/,/g, '')) > s, from, { timeout: 60_000 });
    // The metrics restart from the checkpoint: no logged step between it and the crash survives twice.
    const steps = readFileSync(path.join(project, 'runs', runId, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { step: number }).step);
    assert.deepEqual(steps, [...steps].sort((a, b) => a - b), 'metrics continue in order after the resume');
    assert.equal(new Set(steps).size, steps.length, 'no step logged twice');
    await page.getByTestId('run-stop').click();
    await page.waitForFunction((id) => document.querySelector(`[data-testid="run-${id}"]`)?.getAttribute('data-state') !== 'running', runId, { timeout: 60_000 });
  });

  test('a run started with the CLI appears in the list and its chart updates', async () => {
    const cliRun = path.join(project, 'runs', 'cli-run');
    let finished: CliResult | null = null;
    const cli = runCli(['train', '--project', project, '--run', cliRun, '--preset', 'tiny', '--steps', '300', '--batch', '2', '--length', '2000', '--checkpoint-every', '100', '--device', 'cpu'], 180_000).then((r) => (finished = r));
    const item = page.getByTestId('run-cli-run');
    await item.waitFor({ timeout: 30_000 });
    await page.waitForFunction(() => document.querySelector('[data-testid="run-cli-run"]')?.getAttribute('data-state') === 'running', null, { timeout: 30_000 });
    await item.click();
    await page.waitForFunction(() => document.querySelector('[data-testid="run-title"]')?.textContent?.trim() === 'cli-run');
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="charts"]')?.getAttribute('data-records') ?? 0) >= 2, null, { timeout: 60_000 });
    const seen = await records();
    await page.waitForFunction((n) => Number(document.querySelector('[data-testid="charts"]')?.getAttribute('data-records') ?? 0) > n, seen, { timeout: 60_000 });
    // Overlay the UI run to compare.
    await page.getByTestId(`run-compare-${runId}`).check();
    await shot('11-cli-run-live');
    await cli;
    assert.equal(finished!.code, 0, finished!.stderr);
    await page.waitForFunction(() => document.querySelector('[data-testid="run-cli-run"]')?.getAttribute('data-state') === 'finished', null, { timeout: 30_000 });
    assert.deepEqual(pageErrors, []);
  });

  test('one chart update with 100,000 points', async () => {
    // Synthetic records through the section's own code (series → points → Chart.js), timed in the page.
    const result = await page.evaluate(() => (window as unknown as { studioTrainingBench: typeof chartUpdateBench }).studioTrainingBench(100_000, 40, 5));
    writeFileSync(path.join(shotsDir, 'chart-bench.json'), `${JSON.stringify(result, null, 2)}\n`);
    const u = result.updateMs;
    console.log(`chart update with ${result.points} points (${result.appendPerUpdate} records appended): min ${u.min.toFixed(1)} ms, median ${u.median.toFixed(1)} ms, p95 ${u.p95.toFixed(1)} ms; first draw ${result.firstDrawMs.toFixed(0)} ms, resmooth ${result.resmoothMs.toFixed(0)} ms, rebuild ${result.rebuildMs.toFixed(0)} ms`);
    assert.ok(result.points >= 100_000);
    // Metrics arrive at most once a second (the backend polls metrics.jsonl): an update must be a small part of that,
    // even on a busy two-core machine with software canvas.
    assert.ok(u.median < 250, `a live update takes ${u.median} ms`);
  });
});
