// Owner-change fixtures for the log detail tests: the names the log page would resolve, and a
// role as the core logs it (service/deps.ts logChange).
import type { LogNames } from '../../../renderer/features/log/LogTable';

export const LOG_NAMES: LogNames = {
  actor: (id) => ({ 'u-owner': 'Li Na (owner)', 'u-7': 'Wang Lei (OPS_Wang_US)' })[id ?? ''] ?? id ?? '—',
  actorShort: (id) => id ?? '—',
  store: (id) => (id === 's-1' ? 'Mugs US' : (id ?? '—')),
  module: (id) => ({ payments: 'Payments', orders: 'Orders' })[id ?? ''] ?? id ?? '',
  role: (id) => (id === 'r-1' ? 'Operator US' : id),
};

export const OPERATOR_ROLE = {
  id: 'r-1',
  name: 'Operator US',
  description: '',
  levels: { orders: 'edit', payments: 'none' },
  otherLevel: 'view',
  rules: [{ id: 'rule-1', action: 'block', filter: '{seller}/orders/cancel', note: '' }],
  switches: { downloads: false, uploads: false, devtools: false, printing: false },
  stepUp: [] as string[],
  createdAt: 1,
  updatedAt: 1,
};
