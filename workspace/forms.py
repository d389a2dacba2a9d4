from django import forms
from django.contrib.auth.forms import UserCreationForm

from workspace.models import Membership, Role, User


class InvitationForm(forms.Form):
    email = forms.EmailField(label="Email address", max_length=254)
    role = forms.ChoiceField(choices=Role.choices, initial=Role.EDITOR)


class MemberRoleForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["role"]


class SignUpForm(UserCreationForm):
    """Account creation for someone who holds an invitation; the email is the invitation's."""

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ["username", "first_name", "last_name"]


class SwitchWorkspaceForm(forms.Form):
    workspace = forms.IntegerField(widget=forms.HiddenInput)
    next = forms.CharField(required=False, widget=forms.HiddenInput)
