import { createApp } from 'vue';
import { createPinia } from 'pinia';
import App from './App.vue';
import { createStudioRouter } from './router';
import { connectJobEvents } from './stores/jobs';
import './styles/theme.css';

const app = createApp(App);
app.use(createPinia());
app.use(createStudioRouter());
connectJobEvents();
app.mount('#app');
