import * as path from 'node:path';
import { StudioError } from '../errors';
import type { WaveNetConfig } from './config';

/** Class names for one class per training folder: the folder names, made unique. */
export function classNamesForFolders(folders: string[]): string[] {
  const names: string[] = [];
  for (const folder of folders) {
    const base = path.basename(path.resolve(folder)) || 'class';
    let name = base;
    for (let k = 2; names.includes(name); k++) name = `${base}-${k}`;
    names.push(name);
  }
  return names;
}

/**
 * The global class a render uses, from a class name or number. A model with classes needs one;
 * a model without refuses one, so a mistyped model path is not silently rendered without it.
 */
export function resolveGlobalClass(cfg: WaveNetConfig, requested: string | undefined): number | null {
  const names = cfg.classNames ?? Array.from({ length: cfg.globalClasses }, (_, i) => String(i));
  if (cfg.globalClasses === 0) {
    if (requested !== undefined) throw new StudioError('BAD_OPTION', 'This model has no global classes: leave out --class.');
    return null;
  }
  const list = names.map((n, i) => `${i} = ${n}`).join(', ');
  if (requested === undefined) throw new StudioError('BAD_OPTION', `This model has ${cfg.globalClasses} global classes (${list}): choose one with --class.`);
  const byName = names.indexOf(requested);
  if (byName >= 0) return byName;
  const byNumber = Number(requested);
  if (Number.isInteger(byNumber) && byNumber >= 0 && byNumber < cfg.globalClasses) return byNumber;
  throw new StudioError('BAD_OPTION', `--class "${requested}" is not one of this model's classes (${list}).`);
}
