import { PageHeader } from '../../components/Page';

// Placeholder: being built.
export function AccountPage() {
  return <PageHeader title="Your account" />;
}
