// Shapes of the pricing API's answers (docs/api/openapi.json; docs/pricing.md for the rules).
// Build-up amounts are pesewas per unit with 4 decimals; prices are GH₵ per unit (up to 6 decimals).

export type WindowStatus = 'open' | 'proposed' | 'approved' | 'scheduled' | 'in_force' | 'closed';

export interface PricingWindow {
  id: string;
  first_day: string;
  last_day: string;
  starts_at: string;
  ends_at: string;
  submission_deadline: string;
  deadline_passed: boolean;
  current: boolean;
  status: WindowStatus;
  proposals_waiting: number;
  proposal_id: string | null;
  submitted_at: string | null;
  submission_late: boolean | null;
  floors?: Array<{ product_id: string; product_code: string; unit_price: string }>;
}

export interface Holiday {
  date: string;
  name: string;
  tentative: boolean;
  source: 'national' | 'tenant';
  reference?: string;
}

export type ComponentKind = 'ex_refinery' | 'tax' | 'levy' | 'regulated_margin' | 'omc_margin' | 'dealer_margin';
export type Subtotal = 'ex_refinery' | 'ex_depot' | 'ex_pump';

export interface BuildUpLine {
  component_id: string;
  code: string;
  name: string;
  kind: ComponentKind;
  subtotal: Subtotal;
  position: number;
  amount: string;
  running_total: string;
  in_floor: boolean;
  gra_levy_code: string | null;
}

export interface BuildUp {
  product_id: string;
  product_code: string;
  unit: 'L' | 'kg';
  amount_unit: string;
  date: string;
  lines: BuildUpLine[];
  totals: { ex_refinery: string; ex_depot: string; ex_pump: string };
  floor_base: string;
}

export type ProposalStatus = 'proposed' | 'approved' | 'scheduled' | 'in_force' | 'rejected' | 'withdrawn';

export interface ProposalLine {
  line_no: number;
  product_id: string;
  scope: 'network' | 'zone' | 'station';
  zone_id: string | null;
  station_id: string | null;
  mode: 'price' | 'margins';
  unit_price: string;
  regulated_unit_price: string | null;
  marketer_margin: string | null;
  dealer_margin: string | null;
}

export interface Proposal {
  id: string;
  window: string;
  window_start: string;
  status: ProposalStatus;
  note: string | null;
  proposed_by: string;
  proposed_at: string;
  decided_by: string | null;
  decided_at: string | null;
  reason: string | null;
  scheduled_at: string | null;
  in_force_at: string | null;
  submitted_by: string | null;
  submitted_at: string | null;
  submission_late: boolean | null;
  withdrawn_by?: string | null; // absent from lists withdrawn before the API kept the approval
  withdrawn_at?: string | null;
  lines: ProposalLine[];
}

export interface PriceZone {
  id: string;
  code: string;
  name: string;
  station_ids: string[];
}

export interface PriceChange {
  price_id: string;
  unit_price: string;
  scope: 'network' | 'station';
  effective_from: string;
}

export interface PriceHistory {
  station_id: string;
  product_id: string;
  unit: string;
  at: string;
  in_force: PriceChange | null;
  window: string;
  from: string;
  to: string;
  changes: PriceChange[];
}
