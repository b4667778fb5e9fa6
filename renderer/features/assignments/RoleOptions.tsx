// The role choices of the assignment forms (one assignment, bulk apply): a prompt to choose,
// then every role under its name in the interface language.
import { useTranslation } from 'react-i18next';
import type { Role } from '../../../shared/model/role';
import { roleName } from '../../util/catalog';

export function RoleOptions({ roles }: { roles: readonly Role[] }) {
  const { t, i18n } = useTranslation();
  return (
    <>
      <option value="">{t('assignments.chooseRole')}</option>
      {roles.map((r) => (
        <option key={r.id} value={r.id}>
          {roleName(r.name, i18n.language)}
        </option>
      ))}
    </>
  );
}
