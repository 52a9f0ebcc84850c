// What the administration and account tests sign in as, and the organisation the scopes name.
import type { Profile } from '../../api/types';
import { fail, makeProfile as profileOf, mockApi, type Handler, type RouteTable } from '../../test/kit';

const ALL_ADMIN = [
  'users.read',
  'users.write',
  'users.reset_password',
  'security.read',
  'security.write',
  'api_keys.read',
  'api_keys.write',
  'webhooks.read',
  'webhooks.manage',
  'audit.read',
  'org.read',
  'forecourt.read',
];

// A company administrator with every administration permission, changed by `over`.
export const makeProfile = (over: Partial<Profile> = {}): Profile => profileOf({ permissions: ALL_ADMIN, ...over });

const STATIONS = [
  { id: 'st-osu', code: 'ACC-01', name: 'Accra Osu', region_id: 'r-gar', operating_model: 'COCO', dealer_id: null, active: true },
  { id: 'st-kum', code: 'KUM-01', name: 'Kumasi Adum', region_id: 'r-ash', operating_model: 'COCO', dealer_id: null, active: true },
];
const REGIONS = [
  { id: 'r-gar', code: 'GAR', name: 'Greater Accra' },
  { id: 'r-ash', code: 'ASH', name: 'Ashanti' },
];
const DEALERS = [{ id: 'd-1', code: 'D-01', name: 'Volta Star Energy', active: true }];

// The profile and the organisation lists (an API without the roles route).
const orgRoutes = (profile: Profile): RouteTable => ({
  '/api/v1/auth/profile': { data: profile },
  '/api/v1/stations': { data: STATIONS },
  '/api/v1/regions': { data: REGIONS },
  '/api/v1/dealers': { data: DEALERS },
  '/api/v1/roles': () => fail(404, 'route not found', [], 'not_found'),
});

// mockApi signed in as `profile`: `handler` answers first, then the organisation lists.
export const mockAs = (profile: Profile, handler: Handler = () => undefined) => mockApi(handler, orgRoutes(profile)).sent;
