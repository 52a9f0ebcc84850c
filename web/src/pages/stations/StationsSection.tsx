import { PageHeader } from '../../components/Page';

// Placeholder: being built.
export function StationsSection() {
  return <PageHeader title="Stations" />;
}
