// Starts the real browser-mode server (scripts/serve.ts) as a child process for end-to-end tests
// and reads the URL with its access token from what it prints.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import WebSocket from 'ws';

export interface BrowserMode {
  /** The printed URL, token included. */
  url: URL;
  token: string;
  stop: () => Promise<void>;
  /** Everything the server printed so far, for failure messages. */
  output: () => string;
}

/** Debian's Chromium, which the end-to-end tests drive (no browser download). */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Without Chromium a developer machine skips the end-to-end tests with this reason; CI must have it and fails otherwise. */
export const e2eSkip: string | false =
  !existsSync(CHROMIUM_PATH) && !process.env.CI
    ? `Chromium not found at ${CHROMIUM_PATH}; install it (apt-get install chromium) to run the end-to-end tests`
    : false;

/** Chromium, headless, with the flags that work in these sandboxes (audio may play without a gesture). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--autoplay-policy=no-user-gesture-required'],
  });
}

/** Collects what goes wrong in a page (exceptions, console errors: CSP violations, failed requests) into `errors`. */
export function collectPageErrors(page: Page, errors: string[]): void {
  page.on('pageerror', (err) => errors.push(err.message));
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(msg.text());
  });
}

/**
 * Builds the renderer into out/renderer with the project's vite config; throws with vite's output.
 * The test runner builds it once before the test files run side by side (WAVENET_RENDERER_BUILT):
 * two builds at once empty each other's output folder.
 */
export function buildRenderer(repoRoot: string): void {
  if (process.env.WAVENET_RENDERER_BUILT === '1' && existsSync(path.join(repoRoot, 'out', 'renderer', 'index.html'))) return;
  const vite = path.join(repoRoot, 'node_modules', 'vite', 'bin', 'vite.js');
  const res = spawnSync(process.execPath, [vite, 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn'], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
  if (res.status !== 0 || !existsSync(path.join(repoRoot, 'out', 'renderer', 'index.html'))) {
    throw new Error(`renderer build failed (exit ${res.status}):\n${res.stdout}\n${res.stderr}`);
  }
}

/**
 * Goes to `dir` in the open folder browser, as a person does: waits for its first listing (the
 * start folder) to show, types the path over it and presses Enter; resolves once `dir` is listed.
 */
export async function browseInFolderBrowser(page: Page, dir: string): Promise<void> {
  await page.getByTestId('folder-browser').waitFor();
  await page.waitForFunction(() => {
    const list = document.querySelector('[data-testid="folder-browser"] [role="listbox"]');
    const input = document.querySelector<HTMLInputElement>('[data-testid="folder-path"]');
    return list?.getAttribute('aria-busy') === 'false' && Boolean(input?.value);
  });
  await page.getByTestId('folder-path').fill(dir);
  await page.getByTestId('folder-path').press('Enter');
  await page.waitForFunction((d) => document.querySelector('[data-testid="folder-browser"] [role="listbox"]')?.getAttribute('aria-label') === `Contents of ${d}`, dir);
}

/** Goes to `dir` in the open folder browser and chooses that folder. */
export async function chooseInFolderBrowser(page: Page, dir: string): Promise<void> {
  await browseInFolderBrowser(page, dir);
  await page.getByTestId('folder-choose').click();
  await page.getByTestId('folder-browser').waitFor({ state: 'detached' });
}

/** Goes to the file's folder in the open folder browser and chooses the file. */
export async function chooseFileInFolderBrowser(page: Page, file: string): Promise<void> {
  await browseInFolderBrowser(page, path.dirname(file));
  await page.getByTestId(`entry-${path.basename(file)}`).click();
  await page.getByTestId('folder-choose').click();
  await page.getByTestId('folder-browser').waitFor({ state: 'detached' });
}

/**
 * Opens the project in dir through the UI: Projects, Open…, the folder chosen in the folder
 * browser; resolves once the Projects view shows it as the current project.
 */
export async function openProjectThroughUi(page: Page, dir: string): Promise<void> {
  await page.getByTestId('nav-projects').click();
  await page.getByTestId('view-projects').waitFor();
  await page.getByTestId('project-open').click();
  await chooseInFolderBrowser(page, dir);
  await page.getByTestId('project-current').getByText(dir).waitFor();
}

/** A TCP port that was free a moment ago on the loopback interface. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export async function startBrowserMode(repoRoot: string, timeoutMs = 60_000): Promise<BrowserMode> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/serve.ts', '--port', String(port)], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    // A fresh studio home: the test must not read or write the developer's recent projects.
    env: { ...process.env, NO_COLOR: '1', WAVENET_STUDIO_HOME: mkdtempSync(path.join(tmpdir(), 'wavenet-home-')) },
  });
  let printed = '';
  child.stdout?.setEncoding('utf8');
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => (printed += chunk));

  const url = await new Promise<URL>((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`serve printed no URL within ${timeoutMs} ms`)), timeoutMs);
    function fail(err: Error): void {
      clearTimeout(timer);
      child.kill('SIGTERM');
      reject(new Error(`${err.message}\n--- serve output ---\n${printed}`));
    }
    child.stdout?.on('data', (chunk: string) => {
      printed += chunk;
      const match = /https?:\/\/\S+[?&]token=[^\s&]+\S*/.exec(printed);
      if (match) {
        clearTimeout(timer);
        resolve(new URL(match[0]));
      }
    });
    child.once('exit', (code) => fail(new Error(`serve exited with code ${code} before printing a URL`)));
  });

  const token = url.searchParams.get('token') ?? '';
  return { url, token, stop: () => stopChild(child), output: () => printed };
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(killer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** One call to the studio's API over its WebSocket, as the page makes it. */
export async function apiCall(server: BrowserMode, method: string, args: unknown): Promise<unknown> {
  const origin = server.url.origin;
  const ws = new WebSocket(`${origin.replace(/^http/, 'ws')}/api?token=${server.token}`, { origin });
  try {
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return await new Promise((resolve, reject) => {
      ws.on('message', (data) => {
        const msg = JSON.parse(String(data)) as { type: string; id?: number; ok?: boolean; value?: unknown; error?: { message: string } };
        if (msg.type !== 'result' || msg.id !== 1) return;
        if (msg.ok) resolve(msg.value);
        else reject(new Error(msg.error?.message ?? 'call failed'));
      });
      ws.send(JSON.stringify({ type: 'call', id: 1, method, args }));
    });
  } finally {
    ws.close();
  }
}
