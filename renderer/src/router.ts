import { createRouter, createWebHashHistory } from 'vue-router';
import { sections } from './views/sections';

// Hash history: the page is loaded from a file/custom protocol in Electron and from a single
// static path (with ?token=...) in browser mode, so the path part must never change.
export function createStudioRouter() {
  return createRouter({
    history: createWebHashHistory(),
    routes: [
      { path: '/', redirect: '/projects' },
      ...sections.map((s) => ({
        path: s.path,
        name: s.name,
        component: s.component,
        meta: { title: s.title },
      })),
      { path: '/:pathMatch(.*)*', redirect: '/projects' },
    ],
  });
}
