// Renders console components the way main.tsx does: i18n, the typed client over a transport,
// one set of feature stores.
import { render, type RenderResult } from '@testing-library/react';
import type { ReactElement } from 'react';
import { I18nextProvider } from 'react-i18next';
import type { i18n as I18n } from 'i18next';
import { createClient } from '../../../shared/ipc/client';
import { ServicesProvider, type Services } from '../../../renderer/app/services';
import { createI18n, type UiLanguage } from '../../../renderer/i18n';
import { createFeatureStores } from '../../../renderer/state';
import type { HostKind } from '../../../renderer/api/transport';
import { FakeTransport } from './fake-transport';

export interface Rendered extends RenderResult {
  transport: FakeTransport;
  services: Services;
  i18n: I18n;
}

export function renderConsole(
  ui: ReactElement,
  options: { transport?: FakeTransport; language?: UiLanguage; now?: () => number; host?: HostKind; logPageSize?: number; lastUser?: string } = {},
): Rendered {
  const transport = options.transport ?? new FakeTransport();
  const client = createClient(transport);
  const services: Services = {
    client,
    stores: createFeatureStores(client, { lastUser: options.lastUser ?? null, logPageSize: options.logPageSize }),
    host: options.host ?? 'browser',
    now: options.now ?? (() => Date.now()),
  };
  const i18n = createI18n(options.language ?? 'en');
  const result = render(
    <I18nextProvider i18n={i18n}>
      <ServicesProvider services={services}>{ui}</ServicesProvider>
    </I18nextProvider>,
  );
  return { ...result, transport, services, i18n };
}
