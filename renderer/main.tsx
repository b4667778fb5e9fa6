// Entry point of the console bundle (dist/renderer/app.js).
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import { createClient } from '../shared/ipc/client';
import { chooseTransport } from './api/transport';
import { App } from './app/App';
import { ServicesProvider, type Services } from './app/services';
import { createI18n, initialLanguage, persistLanguage, toUiLanguage } from './i18n';
import { createFeatureStores } from './state';
import './styles.css';

const { transport, host } = chooseTransport(window);
const client = createClient(transport);
const lastUser = new URLSearchParams(window.location.search).get('lastUser');
const services: Services = { client, stores: createFeatureStores(client, { lastUser }), host, now: () => Date.now() };

const i18n = createI18n(initialLanguage(window));
document.documentElement.lang = i18n.language;
document.title = i18n.t('app.title');
i18n.on('languageChanged', (lng) => {
  const language = toUiLanguage(lng) ?? 'en';
  persistLanguage(language, window);
  document.title = i18n.t('app.title');
});

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <I18nextProvider i18n={i18n}>
      <ServicesProvider services={services}>
        <App />
      </ServicesProvider>
    </I18nextProvider>
  </StrictMode>,
);
