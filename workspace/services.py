"""Writes about workspaces, memberships and invitations."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from workspace.models import Invitation, Membership, Role, User, Workspace


def unique_slug(name: str) -> str:
    base = slugify(name)[:60] or "workspace"
    slug, n = base, 1
    while Workspace.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def create_workspace(*, name: str, owner: User, slug: str = "") -> Workspace:
    workspace = Workspace.objects.create(name=name.strip(), slug=slug or unique_slug(name))
    Membership.objects.create(workspace=workspace, user=owner, role=Role.OWNER)
    return workspace


def add_member(*, workspace: Workspace, user: User, role: str) -> Membership:
    """Add `user` with `role`, or change the role of an existing member."""
    membership, created = Membership.objects.get_or_create(workspace=workspace, user=user, defaults={"role": role})
    if not created and membership.role != role:
        change_role(membership=membership, role=role)
    return membership


def _other_owners(membership: Membership) -> bool:
    return (
        Membership.objects.filter(workspace_id=membership.workspace_id, role=Role.OWNER)
        .exclude(pk=membership.pk)
        .exists()
    )


@transaction.atomic
def change_role(*, membership: Membership, role: str) -> Membership:
    if membership.role == Role.OWNER and role != Role.OWNER and not _other_owners(membership):
        raise ValidationError("A workspace needs at least one owner: make someone else owner first.")
    membership.role = role
    membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def remove_member(*, membership: Membership) -> None:
    if membership.role == Role.OWNER and not _other_owners(membership):
        raise ValidationError("A workspace needs at least one owner: make someone else owner first.")
    membership.delete()


def invite(*, workspace: Workspace, email: str, role: str, invited_by: User) -> Invitation:
    """Create (or renew) the open invitation for `email`."""
    email = email.strip().lower()
    if Membership.objects.filter(workspace=workspace, user__email__iexact=email).exists():
        raise ValidationError(f"{email} is already a member of {workspace}.")
    Invitation.objects.filter(workspace=workspace, email__iexact=email, accepted_at__isnull=True).delete()
    return Invitation.objects.create(workspace=workspace, email=email, role=role, invited_by=invited_by)


@transaction.atomic
def accept_invitation(*, invitation: Invitation, user: User) -> Membership:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_open:
        raise ValidationError("This invitation has expired or was already used. Ask for a new one.")
    if not invitation.is_for(user):
        # The link is a key sent to one address: whoever else holds it does not join with it.
        raise ValidationError(
            f"This invitation is for {invitation.email}, and you are signed in as {user}. Sign out and open "
            f"the link again to create an account for {invitation.email}, or ask an owner to invite your address."
        )
    if Membership.objects.filter(workspace=invitation.workspace, user=user).exists():
        # Leave the invitation open for the person it was meant for.
        raise ValidationError(f"You are already a member of {invitation.workspace}.")
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    return Membership.objects.create(workspace=invitation.workspace, user=user, role=invitation.role)
