// Shapes of the API answers the console shares between pages (docs/api/openapi.json is the
// reference). Money and quantities are decimal strings; times RFC 3339 UTC; dates YYYY-MM-DD.

// GET /api/v1/stations/{id}/staff: a user whose scope names the station.
export interface StaffMember {
  id: string;
  username: string;
  display_name: string;
  role: string;
  active: boolean;
}

export interface User {
  id: string;
  username: string;
  email: string;
  display_name: string;
  role: string;
  scope_kind: string;
  scope_ids: string[];
  active: boolean;
  must_change_password: boolean;
  mfa_enabled: boolean;
  created_at: string;
  updated_at: string;
  last_login_at: string | null;
}

export interface Profile extends User {
  tenant_id: string;
  mfa_required: boolean;
  restriction: string | null;
  permissions: string[];
}

export interface Station {
  id: string;
  code: string;
  name: string;
  region_id: string;
  operating_model: string;
  dealer_id: string | null;
  active: boolean;
  latitude?: string | null;
  longitude?: string | null;
}

export interface Product {
  id: string;
  code: string;
  name: string;
  [key: string]: unknown;
}
