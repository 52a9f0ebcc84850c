import { PageHeader } from '../../components/Page';

// Placeholder: being built.
export function PricingSection() {
  return <PageHeader title="Pricing" />;
}
