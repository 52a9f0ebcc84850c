// The console's routes. Each section owns its nested routes (pages/<section>/), so this file only
// maps top-level paths to sections and guards them by permission (nav.ts).
import { lazy, type ReactNode } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { useAuth } from './auth/AuthContext';
import { LoginPage, SessionExpiredDialog } from './auth/LoginPage';
import { Layout, NotFoundPage, RequirePermission } from './components/Layout';
import { Loading } from './components/States';
import { SECTIONS } from './nav';

// Each section is its own chunk, loaded when first opened: the first load fetches only the shell
// and the page it shows (npm run size lists the chunks).
const OverviewPage = lazy(() => import('./pages/overview/OverviewPage').then((m) => ({ default: m.OverviewPage })));
const StationsSection = lazy(() => import('./pages/stations/StationsSection').then((m) => ({ default: m.StationsSection })));
const OperationsSection = lazy(() => import('./pages/operations/OperationsSection').then((m) => ({ default: m.OperationsSection })));
const TransactionsSection = lazy(() => import('./pages/transactions/TransactionsSection').then((m) => ({ default: m.TransactionsSection })));
const PricingSection = lazy(() => import('./pages/pricing/PricingSection').then((m) => ({ default: m.PricingSection })));
const FinanceSection = lazy(() => import('./pages/finance/FinanceSection').then((m) => ({ default: m.FinanceSection })));
const ReportsSection = lazy(() => import('./pages/reports/ReportsSection').then((m) => ({ default: m.ReportsSection })));
const AdminSection = lazy(() => import('./pages/admin/AdminSection').then((m) => ({ default: m.AdminSection })));
const AccountPage = lazy(() => import('./pages/account/AccountPage').then((m) => ({ default: m.AccountPage })));

const anyOf = (path: string) => SECTIONS.find((s) => s.path === path)!.anyOf;

function RequireSignIn({ children }: { children: ReactNode }) {
  const { profile, loading } = useAuth();
  const location = useLocation();
  if (loading) return <Loading label="Opening your session…" />;
  if (!profile) return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  // A password to change or a second factor to enrol comes first (the API allows nothing else).
  if (profile.restriction && location.pathname !== '/account') return <Navigate to="/account" replace />;
  return <>{children}</>;
}

export function App() {
  return (
    <>
      <Routes>
        <Route path="/login" element={<LoginPage />} />
        <Route
          element={
            <RequireSignIn>
              <Layout />
            </RequireSignIn>
          }
        >
          <Route index element={<RequirePermission anyOf={anyOf('/')}><OverviewPage /></RequirePermission>} />
          <Route path="stations/*" element={<RequirePermission anyOf={anyOf('/stations')}><StationsSection /></RequirePermission>} />
          <Route path="operations/*" element={<RequirePermission anyOf={anyOf('/operations')}><OperationsSection /></RequirePermission>} />
          <Route path="transactions/*" element={<RequirePermission anyOf={anyOf('/transactions')}><TransactionsSection /></RequirePermission>} />
          <Route path="pricing/*" element={<RequirePermission anyOf={anyOf('/pricing')}><PricingSection /></RequirePermission>} />
          <Route path="finance/*" element={<RequirePermission anyOf={anyOf('/finance')}><FinanceSection /></RequirePermission>} />
          <Route path="reports/*" element={<RequirePermission anyOf={anyOf('/reports')}><ReportsSection /></RequirePermission>} />
          <Route path="admin/*" element={<RequirePermission anyOf={anyOf('/admin')}><AdminSection /></RequirePermission>} />
          <Route path="account" element={<AccountPage />} />
          <Route path="*" element={<NotFoundPage />} />
        </Route>
      </Routes>
      <SessionExpiredDialog />
    </>
  );
}
