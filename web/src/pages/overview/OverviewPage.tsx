import { PageHeader } from '../../components/Page';

// Placeholder: being built.
export function OverviewPage() {
  return <PageHeader title="Network overview" />;
}
