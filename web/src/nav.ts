// The console's sections and who may see them: a section appears (and its routes open) when the
// signed-in role has any of its permissions (GET /api/v1/auth/profile lists them). The API
// enforces the same matrix; this only keeps people out of pages that would answer 403.
export interface Section {
  path: string;
  label: string;
  anyOf: string[];
}

export const SECTIONS: Section[] = [
  { path: '/', label: 'Overview', anyOf: ['forecourt.read'] },
  { path: '/stations', label: 'Stations', anyOf: ['forecourt.read'] },
  { path: '/operations', label: 'Operations', anyOf: ['shifts.write', 'dips.write', 'deliveries.write'] },
  { path: '/transactions', label: 'Transactions', anyOf: ['forecourt.read'] },
  { path: '/pricing', label: 'Pricing', anyOf: ['pricing.read'] },
  { path: '/finance', label: 'Finance', anyOf: ['ledger.read', 'customers.read', 'payments.reconciliations.read'] },
  { path: '/reports', label: 'Reports', anyOf: ['reports.read', 'uppf.read'] },
  { path: '/admin', label: 'Administration', anyOf: ['users.read', 'api_keys.read', 'webhooks.read', 'audit.read'] },
];

export function sectionFor(path: string): Section | undefined {
  if (path === '/' || path === '') return SECTIONS[0];
  return SECTIONS.filter((s) => s.path !== '/').find((s) => path === s.path || path.startsWith(s.path + '/'));
}
