// /operations/*: the station forms — shift (open and close with the cash-up), dip, delivery —
// as tabs over nested routes; each tab shows only when the role may use its form.
import { NavLink, Navigate, Route, Routes } from 'react-router-dom';
import { useAuth } from '../../auth/AuthContext';
import { PageHeader } from '../../components/Page';
import { DeliveryPage } from './DeliveryPage';
import { DipPage } from './DipPage';
import { ShiftPage } from './ShiftPage';
import './operations.css';

const FORMS = [
  { path: 'shift', label: 'Shift', permission: 'shifts.write', text: 'Open a shift with its totalizers, close it with the cash-up.' },
  { path: 'dip', label: 'Dip', permission: 'dips.write', text: 'Record a tank dip; the net litres show as you type.' },
  { path: 'delivery', label: 'Delivery', permission: 'deliveries.write', text: 'Record a delivery with its waybill and dips.' },
];

export function OperationsSection() {
  const { can } = useAuth();
  const forms = FORMS.filter((f) => can(f.permission));
  return (
    <>
      <PageHeader title="Operations" subtitle="Shifts, dips and deliveries at the station." />
      <nav className="tabs" aria-label="Operations forms">
        {forms.map((f) => (
          <NavLink key={f.path} to={f.path} className={({ isActive }) => (isActive ? 'tab active' : 'tab')}>
            {f.label}
          </NavLink>
        ))}
      </nav>
      <Routes>
        <Route
          index
          element={
            <div className="grid ops-landing">
              {forms.map((f) => (
                <NavLink key={f.path} to={f.path} className="card ops-card">
                  <h2>{f.label}</h2>
                  <p className="muted">{f.text}</p>
                </NavLink>
              ))}
            </div>
          }
        />
        {can('shifts.write') && <Route path="shift" element={<ShiftPage />} />}
        {can('dips.write') && <Route path="dip" element={<DipPage />} />}
        {can('deliveries.write') && <Route path="delivery" element={<DeliveryPage />} />}
        <Route path="*" element={<Navigate to="/operations" replace />} />
      </Routes>
    </>
  );
}
