import { PageHeader } from '../../components/Page';

// Placeholder: being built.
export function AdminSection() {
  return <PageHeader title="Administration" />;
}
