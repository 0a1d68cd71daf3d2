"""Who may do what: roles (Django groups) and the rules that follow from them.

Every permission decision of the core is a named function here, so views, the API and later
modules ask the same question the same way.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, Group, Permission

from kotacerdas.core.choices import OpdKind, Role
from kotacerdas.core.models import Opd, User

# The fields of its own OPD record that an OPD officer may keep up to date; the rest (name,
# kind, hierarchy) is the administrators' reference data.
OPD_OFFICER_EDITABLE_FIELDS = ("head_title", "email", "phone", "address", "website")
OPD_ADMIN_EDITABLE_FIELDS = (
    "name",
    "short_name",
    "kind",
    "region",
    "parent",
    "active",
    *OPD_OFFICER_EDITABLE_FIELDS,
)


def ensure_roles() -> None:
    """Create the role groups if they are missing (idempotent). Administrators (the Diskominfo
    smart city team) hold every model permission, so the Django admin opens for them; the other
    roles work through the platform's own pages, whose rules are the functions below."""
    for role in Role:
        group, _ = Group.objects.get_or_create(name=role.value)
        if role == Role.ADMINISTRATOR:
            group.permissions.set(Permission.objects.all())


def roles_of(user: User | AnonymousUser) -> set[Role]:
    """The roles a user holds. A superuser holds the administrator role."""
    if not user.is_authenticated:
        return set()
    names = {group.name for group in user.groups.all()}
    roles = {role for role in Role if role.value in names}
    if user.is_superuser:
        roles.add(Role.ADMINISTRATOR)
    return roles


def has_role(user: User | AnonymousUser, role: Role) -> bool:
    return role in roles_of(user)


def is_administrator(user: User | AnonymousUser) -> bool:
    return has_role(user, Role.ADMINISTRATOR)


def is_officer_of(user: User | AnonymousUser, opd_code: str) -> bool:
    """An OPD officer of the OPD with this code (the OPDs a module's settings name: Dinas
    Sosial for the social-aid registry, Diskominfo for the service desk and Satu Data).
    Administrators are not officers of any OPD; a rule that lets them in says so itself."""
    return has_role(user, Role.OPD_OFFICER) and user.opd is not None and user.opd.code == opd_code


def is_staff_member(user: User | AnonymousUser) -> bool:
    """Anyone with a role may enter the staff area; what they see there depends on the role."""
    return bool(roles_of(user))


def area_of(user: User | AnonymousUser) -> str | None:
    """The region code of the area an officer of a kecamatan or kelurahan office serves (their
    OPD's ``region``), or None for everyone else. Such an officer sees the figures and records
    located in that area: a kecamatan office its kelurahan too."""
    if not has_role(user, Role.OPD_OFFICER) or user.opd is None:
        return None
    opd = user.opd
    if opd.kind in (OpdKind.KECAMATAN, OpdKind.KELURAHAN) and opd.region_id:
        return opd.region_id
    return None


def grant_role(user: User, role: Role, opd: Opd | None = None) -> None:
    """Give ``user`` a role. OPD officers must belong to an OPD. Administrators also get access
    to the Django admin, where reference data is kept."""
    if role == Role.OPD_OFFICER and opd is None and user.opd_id is None:
        raise ValueError("an OPD officer must belong to an OPD")
    group = Group.objects.filter(name=role.value).first()
    if group is None:
        ensure_roles()
        group = Group.objects.get(name=role.value)
    user.groups.add(group)
    update_fields = []
    if opd is not None and user.opd_id != opd.pk:
        user.opd = opd
        update_fields.append("opd")
    if role == Role.ADMINISTRATOR and not user.is_staff:
        user.is_staff = True
        update_fields.append("is_staff")
    if update_fields:
        user.save(update_fields=update_fields)


def editable_opd_fields(user: User | AnonymousUser, opd: Opd) -> tuple[str, ...]:
    """The fields of ``opd`` that ``user`` may change: all reference fields for administrators,
    the contact fields of their own OPD for its officers, nothing for anyone else."""
    if is_administrator(user):
        return OPD_ADMIN_EDITABLE_FIELDS
    if has_role(user, Role.OPD_OFFICER) and user.opd_id == opd.pk:
        return OPD_OFFICER_EDITABLE_FIELDS
    return ()
