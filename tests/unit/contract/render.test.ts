// The words a segmented render's progress is said in, shared by the render panel and the status bar.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { segmentFigures } from '../../../main/contract/domain/render';

test('segment figures count rendered of those to render, and name the reused ones only when there are any', () => {
  assert.equal(segmentFigures({ rendered: 3, reused: 0, total: 7 }), 'segments 3/7 rendered');
  assert.equal(segmentFigures({ rendered: 1, reused: 6, total: 7 }), 'segments 1/1 rendered, 6 reused');
  assert.equal(segmentFigures({ rendered: 0, reused: 54, total: 54 }), 'segments 0/0 rendered, 54 reused');
});
