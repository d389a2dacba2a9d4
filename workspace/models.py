"""Accounts and teams: a researcher belongs to workspaces with a role in each."""

import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone


class User(AbstractUser):
    """A researcher. Kept as our own model so that profile fields can be added later."""

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class Role(models.TextChoices):
    OWNER = "owner", "Owner"
    EDITOR = "editor", "Editor"
    VIEWER = "viewer", "Viewer"


class WorkspaceOwnedQuerySet(models.QuerySet):
    """Base queryset for everything that belongs to a workspace."""

    def in_workspace(self, workspace: "Workspace") -> "WorkspaceOwnedQuerySet":
        return self.filter(workspace=workspace)

    def visible_to(self, user) -> "WorkspaceOwnedQuerySet":
        if not user.is_authenticated:
            return self.none()
        return self.filter(workspace__memberships__user=user)


class WorkspaceQuerySet(models.QuerySet):
    def for_user(self, user) -> "WorkspaceQuerySet":
        if not user.is_authenticated:
            return self.none()
        return self.filter(memberships__user=user)


class Workspace(models.Model):
    """A team. Every article, tag, annotation and dossier belongs to exactly one."""

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=80, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    editors_can_change_others_annotations = models.BooleanField(
        default=False,
        help_text="When on, editors may change and delete annotations written by other members.",
    )

    objects = WorkspaceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.EDITOR)
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["workspace__name", "user__username"]
        constraints = [models.UniqueConstraint(fields=["workspace", "user"], name="one_membership_per_user")]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}) in {self.workspace}"


def new_invitation_token() -> str:
    return secrets.token_urlsafe(32)


class Invitation(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.EDITOR)
    token = models.CharField(max_length=64, unique=True, default=new_invitation_token)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                "workspace",
                condition=models.Q(accepted_at__isnull=True),
                name="one_open_invitation_per_email",
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.workspace}"

    @property
    def is_expired(self) -> bool:
        age = timezone.now() - self.created_at
        return age.days >= settings.INVITATION_MAX_AGE_DAYS

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and not self.is_expired

    def is_for(self, user) -> bool:
        """Whether `user`'s account has the address this invitation was sent to (case aside)."""
        return bool(user.email) and user.email.strip().casefold() == self.email.strip().casefold()
