import { PageHeader } from '../../components/Page';

// Placeholder: being built.
export function ReportsSection() {
  return <PageHeader title="Reports" />;
}
