// Finance (/finance/*): trial balance, profit and loss, balance sheet, account drill-down,
// customer accounts with the receivables aging, MoMo reconciliation and payables aging. Each page
// opens to the roles whose permission the API asks for it; the tabs show only those.
import { NavLink, Navigate, Route, Routes } from 'react-router-dom';
import { useAuth } from '../../auth/AuthContext';
import { Forbidden } from '../../components/Layout';
import { PageHeader } from '../../components/Page';
import { AccountStatementPage, AccountsPage } from './AccountsPage';
import { BalanceSheetPage } from './BalanceSheetPage';
import { CustomerPage, CustomersPage } from './CustomersPage';
import { PayablesPage } from './PayablesPage';
import { ProfitLossPage } from './ProfitLossPage';
import { ReconciliationPage, ReconciliationsPage } from './ReconciliationsPage';
import { TrialBalancePage } from './TrialBalancePage';
import './finance.css';

export const FINANCE_TABS = [
  { path: 'trial-balance', label: 'Trial balance', permission: 'ledger.read' },
  { path: 'profit-and-loss', label: 'Profit and loss', permission: 'ledger.read' },
  { path: 'balance-sheet', label: 'Balance sheet', permission: 'ledger.read' },
  { path: 'accounts', label: 'Accounts', permission: 'ledger.read' },
  { path: 'customers', label: 'Customer accounts', permission: 'customers.read' },
  { path: 'reconciliations', label: 'MoMo reconciliation', permission: 'payments.reconciliations.read' },
  { path: 'payables', label: 'Payables aging', permission: 'suppliers.read' },
] as const;

function Gate({ permission, children }: { permission: string; children: React.ReactNode }) {
  const { can } = useAuth();
  return can(permission) ? <>{children}</> : <Forbidden />;
}

export function FinanceSection() {
  const { can } = useAuth();
  const tabs = FINANCE_TABS.filter((t) => can(t.permission));
  const gate = (path: (typeof FINANCE_TABS)[number]['path'], element: React.ReactNode) => (
    <Gate permission={FINANCE_TABS.find((t) => t.path === path)!.permission}>{element}</Gate>
  );
  return (
    <div className="finance">
      <PageHeader title="Finance" subtitle="Amounts in Ghana cedis (GH₵), dates in Ghana time." />
      <nav className="tabs fin-tabs" aria-label="Finance pages">
        {tabs.map((t) => (
          <NavLink key={t.path} to={`/finance/${t.path}`} className={({ isActive }) => (isActive ? 'tab active' : 'tab')}>
            {t.label}
          </NavLink>
        ))}
      </nav>
      <Routes>
        <Route index element={tabs.length ? <Navigate to={tabs[0].path} replace /> : <Forbidden />} />
        <Route path="trial-balance" element={gate('trial-balance', <TrialBalancePage />)} />
        <Route path="profit-and-loss" element={gate('profit-and-loss', <ProfitLossPage />)} />
        <Route path="balance-sheet" element={gate('balance-sheet', <BalanceSheetPage />)} />
        <Route path="accounts" element={gate('accounts', <AccountsPage />)} />
        <Route path="accounts/:id" element={gate('accounts', <AccountStatementPage />)} />
        <Route path="customers" element={gate('customers', <CustomersPage />)} />
        <Route path="customers/:id" element={gate('customers', <CustomerPage />)} />
        <Route path="reconciliations" element={gate('reconciliations', <ReconciliationsPage />)} />
        <Route path="reconciliations/:id" element={gate('reconciliations', <ReconciliationPage />)} />
        <Route path="payables" element={gate('payables', <PayablesPage />)} />
        <Route path="*" element={<Navigate to="/finance" replace />} />
      </Routes>
    </div>
  );
}
