export interface Sale {
  id: string;
  station_id: string;
  receipt_no: number;
  kind: 'fuel' | 'shop' | 'void' | 'refund';
  product_id: string;
  nozzle_id: string | null;
  tank_id: string | null;
  shift_id: string | null;
  attendant_id: string | null;
  quantity: string;
  unit_price: string;
  amount: string;
  payment_method: string;
  payment_ref: string | null;
  customer_id: string | null;
  sold_at: string;
  recorded_at: string;
  recorded_by: string;
  reverses_id: string | null;
  reason: string | null;
  approved_by: string | null;
}

export interface SaleFilters {
  station_id: string;
  from: string; // YYYY-MM-DD, Ghana date, included
  to: string; // YYYY-MM-DD, Ghana date, included
  product_id: string;
  payment_method: string;
  kind: string;
}

export const PAYMENT_METHODS = ['cash', 'momo', 'card', 'account', 'voucher'];
export const KINDS = ['fuel', 'shop', 'void', 'refund'];
export const PAYMENT_LABEL: Record<string, string> = { cash: 'Cash', momo: 'MoMo', card: 'Card', account: 'Account', voucher: 'Voucher' };
