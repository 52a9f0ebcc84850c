// Shapes of the administration routes' answers (docs/api/openapi.json: ApiKey, WebhookEndpoint,
// WebhookDelivery, AuditRecord, MfaPolicy; GET /api/v1/roles).
import type { User } from '../../api/types';

export type ScopeKind = 'platform' | 'tenant' | 'region' | 'station' | 'dealer';

export interface RoleInfo {
  role: string;
  description?: string;
  permissions: string[];
  // The scope kinds the role may be granted on ("scopes"; "scope_kinds" accepted too).
  scopes?: string[];
  scope_kinds?: string[];
}

export interface CreatedUser extends User {
  initial_password: string;
}

export interface ResetUser extends User {
  temporary_password: string;
}

export interface MfaPolicy {
  required_roles: string[];
}

export interface ApiKey {
  id: string;
  name: string;
  role: 'Operator' | 'StationManager' | 'Auditor';
  station_id: string | null;
  created_by: string | null;
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
  last_used_at: string | null;
}

export interface CreatedApiKey extends ApiKey {
  key: string;
}

export interface WebhookSecretInfo {
  id: string;
  primary: boolean;
  created_at: string;
  expires_at: string | null;
}

export interface WebhookEndpoint {
  id: string;
  url: string;
  description: string | null;
  event_types: string[];
  enabled: boolean;
  disabled_reason: string | null;
  secrets?: WebhookSecretInfo[];
  created_by?: string;
  created_at: string;
  updated_at: string;
  secret?: string;
}

export interface WebhookAttempt {
  attempt: number;
  attempted_at: string;
  status_code: number | null;
  duration_ms: number;
  error: string | null;
  response_body: string | null;
}

export interface WebhookDelivery {
  id: string;
  endpoint_id: string;
  event_id: string;
  event_type: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  first_attempt_at: string | null;
  next_attempt_at: string | null;
  last_attempt_at: string | null;
  last_status_code: number | null;
  last_error: string | null;
  delivered_at: string | null;
  held_reason: string | null;
  created_at: string;
  updated_at: string;
  attempt_log?: WebhookAttempt[];
}

export interface AuditRecord {
  seq: number;
  id: string;
  tenant_id: string;
  at: string;
  at_us: number;
  actor_type: 'user' | 'api_key' | 'system' | null;
  actor_id: string | null;
  role: string | null;
  action: string;
  entity_type: string | null;
  entity_id: string | null;
  summary: unknown;
  request_id: string | null;
  client_address: string | null;
  prev_hash: string;
  hash: string;
}

export interface Region {
  id: string;
  code: string;
  name: string;
}

export interface Dealer {
  id: string;
  code: string;
  name: string;
  active: boolean;
}
