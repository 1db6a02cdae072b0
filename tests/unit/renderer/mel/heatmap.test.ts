// The mel heatmap's colours and its cache: values map to the colour map on a fixed dB scale, the
// dirty bookkeeping keeps a stroke as one growing rectangle, and after an edit the tiles recolour
// only the cells that changed yet end up exactly as a fresh paint of the whole sheet.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { brushStroke, History, MelSheetModel, stretchRegion, type MelCommand } from '../../../../renderer/src/editor/index';
import {
  colourIndex, colourLut, DB_PER_LN, dbToLn, DirtyRegions, HeatmapCache, lnToDb, LUT_SIZE, mapColour, scaleFor, type TileSurface,
} from '../../../../renderer/src/mel/heatmap';

class FakeSurface implements TileSurface {
  readonly pixels: Uint32Array;
  committed: number[][] = [];
  constructor(readonly width: number, readonly height: number) {
    this.pixels = new Uint32Array(width * height);
  }
  commit(x: number, y: number, w: number, h: number): void {
    this.committed.push([x, y, w, h]);
  }
}

function sheet(frames: number, bins = 80): MelSheetModel {
  const data = new Float64Array(frames * bins);
  for (let f = 0; f < frames; f++) for (let b = 0; b < bins; b++) data[f * bins + b] = -9 + 6 * Math.abs(Math.sin(f * 0.01 + b * 0.13));
  return new MelSheetModel({ id: 'x', name: 'x', sampleRate: 16000, hop: 200 }, { frames, bins, data });
}

/** Every pixel of the tiles as a fresh cache would paint them. */
function freshPixels(model: MelSheetModel, cache: HeatmapCache<FakeSurface>): Uint32Array[] {
  const fresh = new HeatmapCache((w, h) => new FakeSurface(w, h), cache.scale, cache.tileFrames);
  fresh.sync(model);
  return fresh.tiles.map((t) => t.surface.pixels);
}

test('dB conversion: 20·log10 of the magnitude; the floor ln 1e-5 is −100 dB', () => {
  assert.ok(Math.abs(lnToDb(Math.log(1e-5)) + 100) < 1e-9);
  assert.ok(Math.abs(lnToDb(Math.log(10)) - 20) < 1e-9);
  assert.ok(Math.abs(dbToLn(lnToDb(-3.3)) + 3.3) < 1e-12);
  assert.ok(Math.abs(DB_PER_LN - 8.685889638) < 1e-8);
});

test('colour mapping: the scale\'s bottom and below are the darkest colour, its top and above the brightest, linear in dB between', () => {
  const scale = { topDb: 0, rangeDb: 80 };
  assert.equal(colourIndex(dbToLn(-80), scale), 0);
  assert.equal(colourIndex(dbToLn(-120), scale), 0);
  assert.equal(colourIndex(Math.log(1e-5), scale), 0, 'silence');
  assert.equal(colourIndex(Number.NEGATIVE_INFINITY, scale), 0);
  assert.equal(colourIndex(Number.NaN, scale), 0);
  assert.equal(colourIndex(dbToLn(0), scale), LUT_SIZE - 1);
  assert.equal(colourIndex(dbToLn(12), scale), LUT_SIZE - 1);
  assert.equal(colourIndex(dbToLn(-40), scale), Math.round((LUT_SIZE - 1) / 2));
  assert.equal(colourIndex(dbToLn(-20), scale), Math.round(0.75 * (LUT_SIZE - 1)));
  // Monotonic.
  let last = -1;
  for (let db = -90; db <= 10; db += 0.25) {
    const i = colourIndex(dbToLn(db), scale);
    assert.ok(i >= last);
    last = i;
  }
});

test('the colour map runs dark to bright, and the LUT packs it as ImageData\'s Uint32 view reads it', () => {
  assert.deepEqual(mapColour(0), [0, 0, 4]);
  assert.deepEqual(mapColour(1), [252, 253, 191]);
  const lut = colourLut();
  assert.equal(lut.length, LUT_SIZE);
  const bytes = new Uint8ClampedArray(lut.buffer);
  assert.deepEqual([...bytes.subarray(0, 4)], [0, 0, 4, 255], 'RGBA in memory order');
  assert.deepEqual([...bytes.subarray((LUT_SIZE - 1) * 4, LUT_SIZE * 4)], [252, 253, 191, 255]);
  const lum = (i: number) => 0.2126 * bytes[i * 4]! + 0.7152 * bytes[i * 4 + 1]! + 0.0722 * bytes[i * 4 + 2]!;
  for (let i = 8; i < LUT_SIZE; i += 8) assert.ok(lum(i) >= lum(i - 8) - 1, `lightness rises at ${i}`);
});

test('scaleFor: the top 6 dB above the loudest cell, rounded up to 5 dB; the range as asked', () => {
  assert.deepEqual(scaleFor({ data: [dbToLn(-30), dbToLn(-13.2), dbToLn(-100)] }), { topDb: -5, rangeDb: 80 });
  assert.deepEqual(scaleFor({ data: [dbToLn(4)] }, 60), { topDb: 10, rangeDb: 60 });
  assert.deepEqual(scaleFor({ data: [] }), { topDb: 0, rangeDb: 80 });
});

test('dirty regions: touching rectangles merge, separate ones stay apart, too many collapse, take clears', () => {
  const d = new DirtyRegions(4);
  assert.ok(d.isEmpty);
  d.add({ frame0: 0, frame1: 10, bin0: 0, bin1: 5 });
  d.add({ frame0: 10, frame1: 20, bin0: 2, bin1: 6 });
  assert.deepEqual(d.regions, [{ frame0: 0, frame1: 20, bin0: 0, bin1: 6 }], 'edge to edge: one rectangle');
  d.add({ frame0: 100, frame1: 110, bin0: 50, bin1: 60 });
  assert.equal(d.regions.length, 2);
  d.add({ frame0: 5, frame1: 6, bin0: 0, bin1: 0 });
  assert.equal(d.regions.length, 2, 'an empty rectangle is ignored');
  // A rectangle joining both merges all three.
  d.add({ frame0: 15, frame1: 105, bin0: 5, bin1: 55 });
  assert.deepEqual(d.regions, [{ frame0: 0, frame1: 110, bin0: 0, bin1: 60 }]);
  for (let i = 0; i < 3; i++) d.add({ frame0: 200 + i * 10, frame1: 201 + i * 10, bin0: 0, bin1: 1 });
  assert.equal(d.regions.length, 4, 'up to the limit, apart');
  d.add({ frame0: 230, frame1: 231, bin0: 0, bin1: 1 });
  assert.equal(d.regions.length, 1, 'beyond the limit: one bounding box');
  assert.deepEqual(d.regions[0], { frame0: 0, frame1: 231, bin0: 0, bin1: 60 });
  const taken = d.take();
  assert.equal(taken.all, false);
  assert.equal(taken.rects.length, 1);
  assert.ok(d.isEmpty);
  d.markAll();
  d.add({ frame0: 0, frame1: 1, bin0: 0, bin1: 1 });
  assert.deepEqual(d.take(), { all: true, rects: [] });
});

test('the cache paints a 30 s sheet once, then a brush stroke recolours only its cells — and the result equals a fresh paint', () => {
  const model = sheet(2400);
  const history = new History<MelCommand>();
  const cache = new HeatmapCache((w, h) => new FakeSurface(w, h), scaleFor(model), 1024);
  history.subscribe((e) => {
    for (const c of e.commands) {
      if (c.change.kind === 'cells') cache.invalidateCells(c.change);
      else cache.invalidateFrom(c.change.frame0);
    }
  });
  assert.equal(cache.sync(model), 2400 * 80, 'the first sync paints every cell');
  assert.deepEqual(cache.tiles.map((t) => [t.frame0, t.frames]), [[0, 1024], [1024, 1024], [2048, 352]]);
  assert.equal(cache.sync(model), 0, 'nothing changed: nothing painted');

  // A stroke across a tile boundary, dab by dab as the pointer moves.
  const centres = Array.from({ length: 30 }, (_, i) => ({ frame: 1000 + i * 2, bin: 40 + Math.sin(i / 5) * 4 }));
  let painted = 0;
  for (const c of centres) {
    history.execute(brushStroke(model, { centres: [c], radius: 3, radiusFrames: 6, strokeId: 1 }, 6));
    painted += cache.sync(model);
  }
  assert.ok(painted > 0);
  assert.ok(painted < 30 * 13 * 7 * 2, `a dab recolours its own cells, not the sheet (${painted} cells for 30 dabs)`);
  const fresh = freshPixels(model, cache);
  cache.tiles.forEach((t, i) => assert.deepEqual(t.surface.pixels, fresh[i], `tile ${i} equals a fresh paint`));
  // Only the tiles the stroke crossed were committed to.
  assert.equal(cache.tiles[2]!.surface.committed.length, 1, 'the last tile only had its first paint');

  // Undo recolours the same cells back.
  history.undo();
  const after = cache.sync(model);
  assert.ok(after > 0 && after <= 80 * 80, `undo repaints the stroke's rectangle (${after} cells)`);
  const fresh2 = freshPixels(model, cache);
  cache.tiles.forEach((t, i) => assert.deepEqual(t.surface.pixels, fresh2[i]));
});

test('after a stretch changes the length, the tiles from the stretch on are remade and the rest kept', () => {
  const model = sheet(2400);
  const cache = new HeatmapCache((w, h) => new FakeSurface(w, h), scaleFor(model), 1024);
  cache.sync(model);
  const firstTile = cache.tiles[0]!.surface;
  const history = new History<MelCommand>();
  history.subscribe((e) => {
    for (const c of e.commands) if (c.change.kind === 'frames') cache.invalidateFrom(c.change.frame0);
  });
  history.execute(stretchRegion(model, { frame0: 1500, frame1: 1600 }, 300));
  assert.equal(model.frames, 2600);
  const painted = cache.sync(model);
  assert.equal(cache.tiles.at(-1)!.frame0 + cache.tiles.at(-1)!.frames, 2600);
  assert.equal(cache.tiles[0]!.surface, firstTile, 'the tile before the stretch is kept');
  assert.ok(painted <= (2600 - 1024) * 80, `only the frames from the stretch's tile on are painted (${painted})`);
  const fresh = freshPixels(model, cache);
  cache.tiles.forEach((t, i) => assert.deepEqual(t.surface.pixels, fresh[i], `tile ${i}`));

  history.undo();
  cache.sync(model);
  assert.equal(model.frames, 2400);
  const fresh2 = freshPixels(model, cache);
  assert.equal(cache.tiles.length, fresh2.length);
  cache.tiles.forEach((t, i) => assert.deepEqual(t.surface.pixels, fresh2[i], `tile ${i} after undo`));
});

test('a new scale repaints everything; low bins are drawn at the bottom of the tile', () => {
  const model = sheet(10, 4);
  model.data.fill(Math.log(1e-5));
  model.data[0] = dbToLn(0); // frame 0, bin 0: loud
  const cache = new HeatmapCache((w, h) => new FakeSurface(w, h), { topDb: 0, rangeDb: 80 }, 8);
  cache.sync(model);
  const lut = colourLut();
  const tile = cache.tiles[0]!.surface;
  assert.equal(tile.pixels[3 * tile.width], lut[LUT_SIZE - 1], 'bin 0 is the bottom row');
  assert.equal(tile.pixels[0], lut[0], 'the top row (bin 3) is silent');
  cache.setScale({ topDb: 40, rangeDb: 80 });
  assert.equal(cache.sync(model), 40, 'every cell');
  assert.equal(tile.pixels[3 * tile.width], lut[Math.round((LUT_SIZE - 1) / 2)]);
});
