import { AppSettings } from '../../../../shared/ipc/contract';
import type { Handlers } from '../dispatch';
import { logChange, type ServiceDeps } from '../deps';

const KEY = 'console';
const DEFAULTS: AppSettings = { idleLockMinutes: 15 };

export function settingsHandlers(deps: ServiceDeps): Pick<Handlers, 'settings:get' | 'settings:update'> {
  const read = (): AppSettings => ({ ...DEFAULTS, ...(deps.repos.settings.get(KEY, AppSettings.partial()) ?? {}) });
  return {
    'settings:get': () => read(),
    'settings:update': (req, ctx) => {
      const before = read();
      const after = { ...before, ...req };
      deps.repos.settings.set(KEY, after);
      logChange(deps, ctx, 'settings', 'update', KEY, before, after);
      return after;
    },
  };
}
