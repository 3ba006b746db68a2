import { createApp } from 'vue';
import ElementPlus from 'element-plus';
import 'element-plus/dist/index.css';
import App from './App.vue';
import { i18n, setLocale, type Locale } from './i18n';
import { router } from './router';
import { session } from './session';
import './styles.css';

setLocale((i18n.global.locale as unknown as { value: Locale }).value);
// A reload keeps the member signed in for the tab's life: ask the gateway who the stored key is before routing.
void session.restore().finally(() => createApp(App).use(i18n).use(router).use(ElementPlus).mount('#app'));
