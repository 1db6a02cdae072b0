import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { appendMetrics, readMetrics, truncateMetrics } from '../../../../main/engine/run/metrics';
import { tempDir } from '../../../helpers/paths';
import { metricsLine } from './fixtures';

test('no metrics.jsonl yet is no records', async () => {
  assert.deepEqual(await readMetrics(tempDir('run-m')), { records: [], skipped: 0, tornTail: false });
});

test('a torn last line (a crash mid-write) is ignored without counting; a corrupt middle line is skipped and counted', async () => {
  const run = tempDir('run-m');
  const text = [
    metricsLine(5),
    'not json at all\n',
    metricsLine(10, { val_loss: 4.2 }),
    `${JSON.stringify({ step: 'fifteen', train_loss: 1, time: 'x' })}\n`, // JSON, but not a record
    '\n',
    metricsLine(20),
    metricsLine(25).slice(0, 17), // torn: no newline, cut mid-object
  ].join('');
  await fs.writeFile(path.join(run, 'metrics.jsonl'), text);
  const m = await readMetrics(run);
  assert.deepEqual(m.records.map((r) => r.step), [5, 10, 20]);
  assert.equal(m.records[1]!.val_loss, 4.2);
  assert.equal(m.skipped, 2);
  assert.equal(m.tornTail, true);
});

test('a whole last record that only lacks its newline is kept', async () => {
  const run = tempDir('run-m');
  await fs.writeFile(path.join(run, 'metrics.jsonl'), metricsLine(5) + metricsLine(10).trimEnd());
  const m = await readMetrics(run);
  assert.deepEqual(m.records.map((r) => r.step), [5, 10]);
  assert.equal(m.tornTail, false);
});

test('records keep fields the schema does not name', async () => {
  const run = tempDir('run-m');
  await appendMetrics(run, { step: 1, train_loss: 5, time: 't', extra_metric: 7 });
  assert.equal((await readMetrics(run)).records[0]!.extra_metric, 7);
});

test('truncateMetrics drops records after the step and bad lines, keeping the rest byte for byte', async () => {
  const run = tempDir('run-m');
  const file = path.join(run, 'metrics.jsonl');
  await fs.writeFile(file, metricsLine(5) + 'garbage\n' + metricsLine(10, { val_loss: 4 }) + metricsLine(15) + metricsLine(20).slice(0, 9));
  await truncateMetrics(run, 10);
  assert.equal(await fs.readFile(file, 'utf8'), metricsLine(5) + metricsLine(10, { val_loss: 4 }));
  await truncateMetrics(tempDir('run-m'), 3); // no file: nothing to do, no error
});
