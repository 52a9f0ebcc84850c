// What the pricing and reports tests sign in as, and the products and stations they price.
import { makeProfile, profileRoute } from '../../test/kit';

// The profile route of a company-wide user with `permissions`, for mockApi.
export const asUser = (permissions: string[]) => profileRoute(makeProfile({ id: 'u1', display_name: 'Test', permissions }));

export const PMS = { id: 'p-pms', code: 'PMS', name: 'Premium Motor Spirit', kind: 'fuel', unit: 'L', active: true };
export const STATIONS = [{ id: 's1', code: 'ACC-01', name: 'Accra Osu', region_id: 'r1', operating_model: 'coco', dealer_id: null, active: true }];
