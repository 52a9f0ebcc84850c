import { PageHeader } from '../../components/Page';

// Placeholder: being built.
export function TransactionsSection() {
  return <PageHeader title="Transactions" />;
}
