// Reports (/reports/*): NPA sales and stock returns, UPPF claims and the VAT return, previewed
// from the API's JSON and downloaded as CSV, XLSX or PDF. Each tab shows only to the roles that
// may read it (reports.read; uppf.read; the VAT return needs reports.read, which the API checks).
import { useState } from 'react';
import { Navigate, Route, Routes } from 'react-router-dom';
import { useAuth } from '../../auth/AuthContext';
import { Forbidden, NotFoundPage } from '../../components/Layout';
import { Card, PageHeader } from '../../components/Page';
import { SelectField, TextField } from '../../components/Form';
import { ghanaToday } from '../../lib/format';
import { useStations } from '../../lib/queries';
import { SectionTabs } from '../pricing/SectionTabs';
import { NpaSalesPage, NpaStockPage } from './NpaPages';
import { UppfPage } from './UppfPage';
import { VatPage } from './VatPage';
import { previousMonth } from './reportUtil';
import '../pricing/pricing.css';

export interface ReportFilter {
  month: string;
  station: string;
}

function MonthStationFilter({ filter, onChange }: { filter: ReportFilter; onChange: (f: ReportFilter) => void }) {
  const stations = useStations();
  const valid = /^\d{4}-\d{2}$/.test(filter.month);
  return (
    <Card>
      <div className="form-row filter-row">
        <TextField
          label="Month"
          type="month"
          value={filter.month}
          max={ghanaToday().slice(0, 7)}
          onChange={(e) => onChange({ ...filter, month: e.target.value })}
          error={valid ? undefined : 'Choose a month.'}
        />
        <SelectField
          label="Station"
          value={filter.station}
          onChange={(e) => onChange({ ...filter, station: e.target.value })}
          options={(stations.data ?? []).map((s) => ({ value: s.id, label: `${s.code} ${s.name}` }))}
          placeholder={stations.isPending ? 'Loading stations…' : 'All my stations'}
        />
      </div>
    </Card>
  );
}

export function ReportsSection() {
  const { can } = useAuth();
  // The last full month is what is filed; the current month can be chosen for a preview.
  const [filter, setFilter] = useState<ReportFilter>({ month: previousMonth(ghanaToday().slice(0, 7)), station: '' });
  const reports = can('reports.read');
  const vat = reports && can('tax.read');
  const uppf = can('uppf.read');
  const tabs = [
    ...(reports ? [{ to: '/reports', label: 'NPA sales', end: true }, { to: '/reports/npa-stock', label: 'NPA stock' }] : []),
    ...(uppf ? [{ to: '/reports/uppf', label: 'UPPF claims' }] : []),
    ...(vat ? [{ to: '/reports/vat', label: 'VAT return' }] : []),
  ];
  const withFilter = (page: React.ReactNode) =>
    /^\d{4}-\d{2}$/.test(filter.month) ? (
      <>
        <MonthStationFilter filter={filter} onChange={setFilter} />
        {page}
      </>
    ) : (
      <MonthStationFilter filter={filter} onChange={setFilter} />
    );
  return (
    <>
      <PageHeader title="Reports" subtitle="Statutory returns: preview on the page, download as CSV, XLSX or PDF. Months are Ghana time (UTC)." />
      <SectionTabs label="Reports" tabs={tabs} />
      <Routes>
        <Route index element={reports ? withFilter(<NpaSalesPage filter={filter} />) : uppf ? <Navigate to="/reports/uppf" replace /> : <Forbidden />} />
        <Route path="npa-stock" element={reports ? withFilter(<NpaStockPage filter={filter} />) : <Forbidden />} />
        <Route path="uppf" element={uppf ? <UppfPage /> : <Forbidden />} />
        <Route path="vat" element={vat ? withFilter(<VatPage filter={filter} />) : <Forbidden />} />
        <Route path="*" element={<NotFoundPage />} />
      </Routes>
    </>
  );
}
