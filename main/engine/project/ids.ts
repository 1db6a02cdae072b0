import { ID_PATTERN, idSchema, newId } from '../../contract/domain/ids';
import { StudioError } from '../errors';

/** Ids name files and folders inside the project, so they must be safe file names everywhere. */
export { ID_PATTERN, idSchema, newId };

export function checkId(id: string, what: string): string {
  if (!ID_PATTERN.test(id)) throw new StudioError('BAD_OPTION', `"${id}" is not a valid ${what} id: use letters, digits, "-" or "_".`);
  return id;
}
