// What the operations and transactions tests sign in as, and the station they work at.
import { dataRoutes, makeProfile } from '../../test/kit';

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

// The routes every operations or transactions page asks first: the profile with `permissions`,
// the station and the products.
export const atStation = (permissions: string[], products: unknown[]) =>
  dataRoutes({ 'GET /api/v1/auth/profile': profile(permissions), 'GET /api/v1/stations': [STATION], 'GET /api/v1/products': products });
