import { createApp } from 'vue';
import { createPinia } from 'pinia';
import App from './App.vue';
import { createStudioRouter } from './router';
import { connectJobEvents } from './stores/jobs';
import { useProjectsStore } from './stores/projects';
import './styles/theme.css';

const app = createApp(App);
app.use(createPinia());
app.use(createStudioRouter());
connectJobEvents();
void useProjectsStore().restore();
app.mount('#app');
