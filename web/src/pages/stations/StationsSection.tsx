// The Stations section (`/stations/*`): the list at `/stations` and a station's page at
// `/stations/:id`.
import { Route, Routes } from 'react-router-dom';
import { NotFoundPage } from '../../components/Layout';
import { StationPage } from './StationPage';
import { StationsList } from './StationsList';
import './stations.css';
import '../overview/overview.css';

export function StationsSection() {
  return (
    <Routes>
      <Route index element={<StationsList />} />
      <Route path=":id" element={<StationPage />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
