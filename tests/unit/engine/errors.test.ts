import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeError, StudioError } from '../../../main/engine/errors';

const fsError = (code: string, file: string): NodeJS.ErrnoException => Object.assign(new Error(`${code}: something, open '${file}'`), { code, path: file, syscall: 'open' });

test('a file-system failure reads as what happened to which file and what to do; the temporary name stands for its target', () => {
  assert.equal(describeError(fsError('ENOSPC', '/r/take.wav.123.1795668264349.tmp')), 'Could not use /r/take.wav: the disk is full; free some space and try again.');
  assert.equal(describeError(fsError('EACCES', '/r/x.wav')), 'Could not use /r/x.wav: permission denied; choose a folder you may write to.');
  assert.equal(describeError(fsError('EROFS', '/mnt/x')), 'Could not use /mnt/x: the disk is read-only; choose another folder.');
});

test('studio errors keep their message; anything else is an unexpected error in one line', () => {
  assert.equal(describeError(new StudioError('BAD_OPTION', 'Use --steps 10.')), 'Use --steps 10.');
  assert.equal(describeError(Object.assign(new Error('EWEIRD: odd\nmore'), { code: 'EWEIRD' })), 'Unexpected error: EWEIRD: odd');
  assert.equal(describeError('plain'), 'Unexpected error: plain');
});
