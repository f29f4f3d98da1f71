import { createApp } from 'vue';
import App from './App.vue';
import * as pinia from './plugins/pinia';
import * as i18n from './plugins/i18n';
import * as vuetify from './plugins/vuetify';
import * as apollo from './plugins/apollo';
import * as router from './plugins/router';

const app = createApp(App);
// Pinia first: apollo and router read the session store while installing.
for (const plugin of [pinia, i18n, vuetify, apollo, router]) plugin.install(app);
app.mount('#app');
