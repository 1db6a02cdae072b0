import { randomBytes } from 'node:crypto';
import { ID_PATTERN, idSchema } from '../../contract/domain/ids';
import { StudioError } from '../errors';

/** Ids name files and folders inside the project, so they must be safe file names everywhere. */
export { ID_PATTERN, idSchema };

export function checkId(id: string, what: string): string {
  if (!ID_PATTERN.test(id)) throw new StudioError('BAD_OPTION', `"${id}" is not a valid ${what} id: use letters, digits, "-" or "_".`);
  return id;
}

/** A new id that sorts by creation time: zero-padded base-36 milliseconds and a random suffix. */
export function newId(now: Date = new Date()): string {
  return `${now.getTime().toString(36).padStart(9, '0')}-${randomBytes(4).toString('hex')}`;
}
