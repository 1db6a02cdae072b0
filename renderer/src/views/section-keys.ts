// The sections' keyboard maps, as the app's `?` overlay lists them (the editors list their own).
// Each follows its view's key handler: DatasetsView, TrainingView, RendersView.
import type { ShortcutGroup } from '../components/shortcut-list';
import { sections } from './sections';

const SECTION_KEYS: Record<string, ShortcutGroup['items']> = {
  datasets: [
    { keys: 'A', action: 'Add folders of recordings as a dataset' },
    { keys: 'R', action: 'Refresh the dataset: read changed and new files again' },
    { keys: 'T', action: 'Train on this dataset (the new-run form, filled in)' },
    { keys: 'S', action: 'Show or hide the summary' },
    { keys: '/', action: 'Search the file names' },
    { keys: '↑ / ↓', action: 'Select the next / previous file (Page Up / Down and Home / End jump)' },
    { keys: 'Space', action: 'Play / stop the selected file' },
    { keys: 'X', action: 'Exclude the selected file from training, or include it again' },
    { keys: 'Esc', action: 'Stop playing, or close the file' },
  ],
  training: [
    { keys: 'N', action: 'New run' },
    { keys: 'P', action: 'Pause / resume the running training' },
    { keys: 'Wheel / Shift+drag', action: 'Zoom the loss chart in time (a plain drag pans it)' },
  ],
  renders: [
    { keys: '↑ / ↓', action: 'Select the next / previous render (Home / End: the first / last)' },
    { keys: 'Space', action: 'Play / stop the selected render' },
    { keys: 'L', action: 'Loop on / off' },
    { keys: 'Delete', action: 'Delete the selected render (asks first)' },
    { keys: 'Esc', action: 'Stop playing' },
  ],
};

/** What `?` lists in a section: its own keys, then the keys that work everywhere. */
export function sectionShortcuts(section: string | undefined, mod: string): ShortcutGroup[] {
  const current = sections.find((s) => s.name === section);
  const own = current ? SECTION_KEYS[current.name] : undefined;
  return [
    ...(current && own ? [{ title: current.title, items: own }] : []),
    {
      title: 'Everywhere',
      items: [
        ...sections.map((s, i) => ({ keys: `${mod}${i + 1}`, action: `Go to ${s.title}` })),
        { keys: '?', action: 'Show or hide this list' },
      ],
    },
  ];
}
