import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { MetricsTail, type MetricsTailEvent } from '../../../../main/engine/run/metrics-tail';
import { truncateMetrics } from '../../../../main/engine/run/metrics';
import { tempDir } from '../../../helpers/paths';
import { metricsLine } from './fixtures';

/** The events of one poll, as 'reset' and step lists. */
const summary = (events: MetricsTailEvent[]): (string | number[])[] =>
  events.map((e) => (e.type === 'reset' ? 'reset' : e.records.map((r) => r.step)));

test('no file yet: nothing; then the records as they are appended', async () => {
  const run = tempDir('run-tail');
  const tail = new MetricsTail(run);
  assert.deepEqual(await tail.poll(), []);
  await fs.appendFile(path.join(run, 'metrics.jsonl'), metricsLine(5) + metricsLine(10));
  assert.deepEqual(summary(await tail.poll()), [[5, 10]]);
  assert.deepEqual(await tail.poll(), [], 'nothing new, nothing yielded');
  await fs.appendFile(path.join(run, 'metrics.jsonl'), metricsLine(15));
  assert.deepEqual(summary(await tail.poll()), [[15]]);
});

test('a partial last line is held back until its newline arrives', async () => {
  const run = tempDir('run-tail');
  const file = path.join(run, 'metrics.jsonl');
  const line = metricsLine(10, { val_loss: 3.5, note: 'naïve — ünïcode' });
  const bytes = Buffer.from(line);
  // Cut inside a multi-byte character, so a per-read UTF-8 decode would garble it.
  const cut = bytes.indexOf(Buffer.from('ï')) + 1;
  await fs.writeFile(file, Buffer.concat([Buffer.from(metricsLine(5)), bytes.subarray(0, cut)]));
  const tail = new MetricsTail(run);
  assert.deepEqual(summary(await tail.poll()), [[5]], 'the complete line only');
  await fs.appendFile(file, bytes.subarray(cut, bytes.length - 1)); // all but the newline
  assert.deepEqual(await tail.poll(), [], 'still no newline: still held back');
  await fs.appendFile(file, '\n');
  const events = await tail.poll();
  assert.deepEqual(summary(events), [[10]]);
  const rec = events[0]!.type === 'records' ? events[0]!.records[0]! : null;
  assert.equal(rec?.val_loss, 3.5);
  assert.equal(rec?.note, 'naïve — ünïcode');
  assert.equal(tail.skipped, 0);
});

test('a corrupt complete line is skipped and counted', async () => {
  const run = tempDir('run-tail');
  await fs.writeFile(path.join(run, 'metrics.jsonl'), metricsLine(5) + '{"step": oops}\n' + metricsLine(10));
  const tail = new MetricsTail(run);
  const events = await tail.poll();
  assert.deepEqual(summary(events), [[5, 10]]);
  assert.equal(events[0]!.type === 'records' && events[0]!.skipped, 1);
  assert.equal(tail.skipped, 1);
});

test('a rewrite after a resume (atomic replace, new inode) is a reset, then the file from the start', async () => {
  const run = tempDir('run-tail');
  const file = path.join(run, 'metrics.jsonl');
  await fs.writeFile(file, metricsLine(5) + metricsLine(10) + metricsLine(15) + metricsLine(20));
  const tail = new MetricsTail(run);
  assert.deepEqual(summary(await tail.poll()), [[5, 10, 15, 20]]);
  // The resumed trainer truncates to its checkpoint (step 10), then logs on from there.
  await truncateMetrics(run, 10);
  await fs.appendFile(file, metricsLine(15, { resumed: true }) + metricsLine(20, { resumed: true }) + metricsLine(25));
  const events = await tail.poll();
  assert.deepEqual(summary(events), ['reset', [5, 10, 15, 20, 25]], 'the new file is longer than the old: the inode tells');
  assert.equal(events[1]!.type === 'records' && events[1]!.records[2]!.resumed, true);
});

test('a file that shrank in place is a reset; a removed file is a reset', async () => {
  const run = tempDir('run-tail');
  const file = path.join(run, 'metrics.jsonl');
  await fs.writeFile(file, metricsLine(5) + metricsLine(10) + metricsLine(15));
  const tail = new MetricsTail(run);
  await tail.poll();
  await fs.truncate(file, 0); // same inode, shorter
  await fs.appendFile(file, metricsLine(5));
  assert.deepEqual(summary(await tail.poll()), ['reset', [5]]);
  await fs.rm(file); // a new run in the same folder starts without one
  assert.deepEqual(summary(await tail.poll()), ['reset']);
  assert.deepEqual(await tail.poll(), [], 'still gone: one reset only');
  await fs.writeFile(file, metricsLine(1));
  assert.deepEqual(summary(await tail.poll()), [[1]]);
});

test('follow() yields as the file grows and ends on close()', async () => {
  const run = tempDir('run-tail');
  const file = path.join(run, 'metrics.jsonl');
  const tail = new MetricsTail(run, { intervalMs: 10 });
  const seen: (string | number[])[] = [];
  const done = (async () => {
    for await (const ev of tail.follow()) {
      seen.push(...summary([ev]));
      if (seen.length === 2) tail.close();
    }
  })();
  await fs.writeFile(file, metricsLine(5));
  await new Promise((r) => setTimeout(r, 60));
  await fs.appendFile(file, metricsLine(10));
  await done;
  assert.deepEqual(seen, [[5], [10]]);
});

test('follow() ends when its signal aborts', async () => {
  const tail = new MetricsTail(tempDir('run-tail'), { intervalMs: 5_000 });
  const controller = new AbortController();
  const started = Date.now();
  setTimeout(() => controller.abort(), 20);
  for await (const ev of tail.follow(controller.signal)) assert.fail(`no events expected, got ${ev.type}`);
  assert.ok(Date.now() - started < 2_000, 'the wait between polls ended at once');
});
