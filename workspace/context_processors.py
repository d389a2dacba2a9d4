from workspace.permissions import Action, role_allows


def current_workspace(request):
    membership = getattr(request, "membership", None)
    role = membership.role if membership else ""
    return {
        "current_workspace": getattr(request, "workspace", None),
        "current_membership": membership,
        "user_memberships": getattr(request, "memberships", []),
        "can_edit": role_allows(role, Action.EDIT),
        "can_manage": role_allows(role, Action.MANAGE),
    }
