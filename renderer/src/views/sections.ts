// The workstation's sections, in sidebar order. The index + 1 is the Ctrl/Cmd+digit shortcut.
// Views are bundled eagerly: the app is local, and one bundle means no extra asset requests.
import type { Component } from 'vue';
import ProjectsView from './ProjectsView.vue';
import DatasetsView from './DatasetsView.vue';
import TrainingView from './TrainingView.vue';
import EditorView from './EditorView.vue';
import RendersView from './RendersView.vue';

export interface Section {
  name: string;
  path: string;
  title: string;
  icon: string;
  component: Component;
}

export const sections: readonly Section[] = [
  { name: 'projects', path: '/projects', title: 'Projects', icon: 'folder', component: ProjectsView },
  { name: 'datasets', path: '/datasets', title: 'Datasets', icon: 'database', component: DatasetsView },
  { name: 'training', path: '/training', title: 'Training', icon: 'chart', component: TrainingView },
  { name: 'editor', path: '/editor', title: 'Editor', icon: 'piano', component: EditorView },
  { name: 'renders', path: '/renders', title: 'Renders', icon: 'wave', component: RendersView },
];
