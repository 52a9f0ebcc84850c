// MFA policy: the roles whose users must use a second factor (GET/PUT /api/v1/security/mfa-policy).
import { useEffect, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import { useAuth } from '../../auth/AuthContext';
import { Card } from '../../components/Page';
import { QueryView } from '../../components/States';
import type { MfaPolicy } from './types';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { TENANT_ROLES } from './ui';

const KEY = ['admin', 'mfa-policy'];

export function MfaPolicyPage() {
  const { can } = useAuth();
  const policy = useQuery({ queryKey: KEY, queryFn: () => api.get<MfaPolicy>('/api/v1/security/mfa-policy') });
  return (
    <Card title="Second factor (MFA) policy">
      <QueryView query={policy} isEmpty={() => false} loadingLabel="Loading the MFA policy…">
        {(data) => <PolicyForm policy={data} canWrite={can('security.write')} />}
      </QueryView>
    </Card>
  );
}

function PolicyForm({ policy, canWrite }: { policy: MfaPolicy; canWrite: boolean }) {
  const queryClient = useQueryClient();
  const [roles, setRoles] = useState<string[]>(policy.required_roles);
  const [confirming, setConfirming] = useState(false);
  const [saved, setSaved] = useState(false);
  useEffect(() => setRoles(policy.required_roles), [policy]);
  const added = roles.filter((r) => !policy.required_roles.includes(r));
  const removed = policy.required_roles.filter((r) => !roles.includes(r));
  const changed = added.length > 0 || removed.length > 0;

  async function save() {
    const answer = await api.put<MfaPolicy>('/api/v1/security/mfa-policy', { required_roles: [...roles].sort() });
    queryClient.setQueryData(KEY, answer);
    setConfirming(false);
    setSaved(true);
  }

  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (changed) setConfirming(true);
      }}
    >
      <fieldset className="check-fieldset">
        <legend>Roles that must sign in with a second factor</legend>
        <ul className="check-list">
          {TENANT_ROLES.map((r) => (
            <li key={r}>
              <label>
                <input
                  type="checkbox"
                  checked={roles.includes(r)}
                  disabled={!canWrite}
                  onChange={(e) => {
                    setSaved(false);
                    setRoles(e.target.checked ? [...roles, r] : roles.filter((x) => x !== r));
                  }}
                />{' '}
                {r}
              </label>
            </li>
          ))}
        </ul>
      </fieldset>
      <p className="field-hint">
        From their next sign-in, users of a required role who have not set up an authenticator app can only open their
        account page until they do; those who have cannot turn it off.
      </p>
      {!canWrite && <p className="muted">Your role can read this policy but not change it.</p>}
      {saved && (
        <div className="form-success" role="status">
          MFA policy saved.
        </div>
      )}
      {canWrite && (
        <button type="submit" className="btn btn-primary" disabled={!changed}>
          Save policy
        </button>
      )}
      {confirming && (
        <ConfirmDialog
          title="Change the MFA policy?"
          confirmLabel="Save policy"
          danger={false}
          onClose={() => setConfirming(false)}
          onConfirm={save}
        >
          {added.length > 0 && (
            <p>
              <strong>Required from now on:</strong> {added.join(', ')}. Their users without a second factor will have to
              enrol before using the console.
            </p>
          )}
          {removed.length > 0 && (
            <p>
              <strong>No longer required:</strong> {removed.join(', ')}.
            </p>
          )}
        </ConfirmDialog>
      )}
    </form>
  );
}
