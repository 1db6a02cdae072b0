// The mel editor's tools and keyboard map (the piano roll's keys where the actions match), listed
// by the `?` overlay and in tooltips.
import type { ShortcutGroup } from '../shortcut-list';

export type MelTool = 'select' | 'raise' | 'lower' | 'erase' | 'smooth' | 'restore';

export interface ToolInfo {
  id: MelTool;
  key: string;
  label: string;
  hint: string;
}

export const MEL_TOOLS: readonly ToolInfo[] = [
  { id: 'select', key: '1', label: 'Select', hint: 'drag a time × frequency region' },
  { id: 'raise', key: '2', label: 'Brush up', hint: 'raise the energy under the brush by the dB amount' },
  { id: 'lower', key: '3', label: 'Brush down', hint: 'lower the energy under the brush by the dB amount' },
  { id: 'erase', key: '4', label: 'Erase', hint: 'take the energy under the brush to silence' },
  { id: 'smooth', key: '5', label: 'Smooth', hint: 'blur the cells under the brush' },
  { id: 'restore', key: '6', label: 'Restore', hint: 'bring the cells under the brush back to the analysed original' },
];


export function melShortcuts(mod: string): ShortcutGroup[] {
  return [
    {
      title: 'Tools',
      items: [
        ...MEL_TOOLS.map((t) => ({ keys: t.key, action: `${t.label}: ${t.hint}` })),
        { keys: '[ / ]', action: 'Brush smaller / larger' },
        { keys: 'Esc', action: 'Cancel the stroke or drag in progress, or clear the selection' },
      ],
    },
    {
      title: 'Region',
      items: [
        { keys: `${mod}A`, action: 'Select the whole sheet' },
        { keys: `${mod}C / ${mod}X`, action: 'Copy / cut the region' },
        { keys: `${mod}V`, action: 'Paste at the playhead (in the bands it was copied from)' },
        { keys: 'Delete', action: 'Silence the region' },
        { keys: '↑ / ↓', action: 'Shift the region up / down one band (Shift: 5 bands)' },
        { keys: 'R', action: 'Reset the region to the analysed original' },
        { keys: 'T', action: 'Time-stretch the region by the factor in the toolbar' },
        { keys: `${mod}Z / ${mod}Shift+Z`, action: 'Undo / redo' },
      ],
    },
    {
      title: 'Listen and view',
      items: [
        { keys: 'Space', action: 'Play / stop the side chosen: A the analysed recording, B the sheet as it is now' },
        { keys: 'B', action: 'Switch between A and B (while playing: at the same moment)' },
        { keys: 'Home / End', action: 'Playhead to the start / end' },
        { keys: `+ / −, ${mod}wheel`, action: 'Zoom time' },
        { keys: 'Shift+wheel', action: 'Zoom frequency' },
        { keys: 'Wheel', action: 'Scroll (frequency when zoomed in on it, time otherwise)' },
        { keys: '0', action: 'Fit the whole sheet' },
        { keys: '?', action: 'Show or hide this list' },
      ],
    },
  ];
}
