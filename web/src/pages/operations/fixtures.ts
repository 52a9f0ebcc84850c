// What the operations and transactions tests sign in as, and the station they work at.
import { makeProfile } from '../../test/kit';

export const STATION = { id: 's-1', code: 'ACC01', name: 'Accra Ring Road', region_id: 'r', operating_model: 'COCO', dealer_id: null, active: true };

export function profile(permissions: string[]) {
  return makeProfile({
    id: 'u-manager',
    username: 'manager',
    email: 'm@x',
    display_name: 'Efua Manager',
    role: 'StationManager',
    scope_kind: 'station',
    scope_ids: ['s-1'],
    created_at: '',
    updated_at: '',
    last_login_at: null,
    tenant_id: 't',
    permissions,
  });
}
