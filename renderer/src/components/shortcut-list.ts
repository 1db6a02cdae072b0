// A keyboard map as the `?` overlays list it (ShortcutsOverlay.vue): groups of keys and actions.
export interface Shortcut {
  keys: string;
  action: string;
}

export interface ShortcutGroup {
  title: string;
  items: Shortcut[];
}
