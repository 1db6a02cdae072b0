// The editor's keyboard map (after OpenUtau's defaults), listed by the `?` overlay and in tooltips.
import type { ShortcutGroup } from '../shortcut-list';

export function editorShortcuts(mod: string): ShortcutGroup[] {
  return [
    {
      title: 'Tools',
      items: [
        { keys: '1', action: 'Select tool: click, Shift+click, drag a box; drag notes to move, their edges to resize' },
        { keys: '2', action: 'Draw tool: click to add a note, drag to set its length' },
        { keys: '3', action: 'Erase tool: click or drag over notes' },
        { keys: 'P', action: 'Snap to the grid on / off (hold Alt while dragging for free placement)' },
        { keys: 'Esc', action: 'Cancel the drag in progress, or clear the selection' },
      ],
    },
    {
      title: 'Edit',
      items: [
        { keys: `${mod}Z`, action: 'Undo' },
        { keys: `${mod}Shift+Z`, action: 'Redo' },
        { keys: `${mod}A`, action: 'Select all' },
        { keys: `${mod}C / ${mod}X / ${mod}V`, action: 'Copy, cut, paste at the playhead' },
        { keys: `${mod}D`, action: 'Duplicate the selection after itself' },
        { keys: 'Delete', action: 'Delete the selection' },
        { keys: '↑ / ↓', action: 'Transpose a semitone' },
        { keys: `${mod}↑ / ${mod}↓`, action: 'Transpose an octave' },
        { keys: '← / →', action: 'Move by one grid step (no selection: the playhead)' },
        { keys: 'Alt+← / Alt+→', action: 'Shorten / lengthen by one grid step' },
        { keys: 'Q', action: 'Quantize the selection to the grid' },
        { keys: `${mod}S`, action: 'Save (the editor also keeps a backup 2 s after each edit)' },
      ],
    },
    {
      title: 'Play and view',
      items: [
        { keys: 'Space', action: 'Play / stop the preview' },
        { keys: 'L', action: 'Loop the selection (or the region dragged on the ruler); again: loop off' },
        { keys: 'Home / End', action: 'Playhead to the start / end' },
        { keys: `+ / −, ${mod}wheel`, action: 'Zoom time' },
        { keys: 'Shift+wheel', action: 'Zoom pitch' },
        { keys: 'Click a piano key', action: 'Hear that pitch' },
        { keys: '?', action: 'Show or hide this list' },
      ],
    },
  ];
}
