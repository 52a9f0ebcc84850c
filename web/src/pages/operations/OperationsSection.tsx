import { PageHeader } from '../../components/Page';

// Placeholder: being built.
export function OperationsSection() {
  return <PageHeader title="Operations" />;
}
