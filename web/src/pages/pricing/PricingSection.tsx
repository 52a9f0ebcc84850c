// Pricing (/pricing/*): the window calendar, the price build-up, price lists (propose, approve,
// schedule) and price history. The API rules are in docs/pricing.md.
import { Route, Routes } from 'react-router-dom';
import { NotFoundPage } from '../../components/Layout';
import { PageHeader } from '../../components/Page';
import { BuildUpPage } from './BuildUpPage';
import { HistoryPage } from './HistoryPage';
import { ProposalsPage } from './ProposalsPage';
import { SectionTabs } from './SectionTabs';
import { WindowsPage } from './WindowsPage';
import './pricing.css';

export function PricingSection() {
  return (
    <>
      <PageHeader title="Pricing" subtitle="NPA pricing windows, the price build-up, ex-pump price lists and price history. Times are Ghana time." />
      <SectionTabs
        label="Pricing pages"
        tabs={[
          { to: '/pricing', label: 'Windows', end: true },
          { to: '/pricing/build-up', label: 'Build-up' },
          { to: '/pricing/proposals', label: 'Price lists' },
          { to: '/pricing/history', label: 'Price history' },
        ]}
      />
      <Routes>
        <Route index element={<WindowsPage />} />
        <Route path="build-up" element={<BuildUpPage />} />
        <Route path="proposals" element={<ProposalsPage />} />
        <Route path="history" element={<HistoryPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Routes>
    </>
  );
}
