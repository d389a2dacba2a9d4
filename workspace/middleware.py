from django.http import HttpRequest

from workspace.models import Membership

SESSION_KEY = "current_workspace_id"


class CurrentWorkspaceMiddleware:
    """Load the user's memberships once per request and pick the current workspace.

    Sets `request.memberships` (all of them, with their workspace), `request.membership`
    and `request.workspace` (the current one, or None for a user in no workspace).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        request.memberships = self.load_memberships(request)
        request.membership = self.pick_current(request)
        request.workspace = request.membership.workspace if request.membership else None
        return self.get_response(request)

    @staticmethod
    def load_memberships(request: HttpRequest) -> list[Membership]:
        if not request.user.is_authenticated:
            return []
        return list(
            Membership.objects.filter(user=request.user).select_related("workspace").order_by("workspace__name")
        )

    @staticmethod
    def pick_current(request: HttpRequest) -> Membership | None:
        wanted = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
        for membership in request.memberships:
            if membership.workspace_id == wanted:
                return membership
        return request.memberships[0] if request.memberships else None
