import { PageHeader } from '../../components/Page';

// Placeholder: being built.
export function FinanceSection() {
  return <PageHeader title="Finance" />;
}
