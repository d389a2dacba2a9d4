from django import forms

from dossiers.models import Dossier


class DossierForm(forms.ModelForm):
    class Meta:
        model = Dossier
        fields = ["title", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 8, "maxlength": 200_000})}
        help_texts = {"description": "What this dossier is about and what it should show. Markdown is fine."}

    def clean_title(self) -> str:
        title = self.cleaned_data["title"].strip()
        if not title:
            raise forms.ValidationError("Give the dossier a title.")
        return title

    def clean_description(self) -> str:
        description = self.cleaned_data["description"]
        if len(description) > 200_000:
            raise forms.ValidationError(f"Keep the description under 200,000 characters (it has {len(description):,}).")
        return description


class FileArticlesForm(forms.Form):
    """Put some articles into a dossier (existing or new) and/or tag them."""

    articles = forms.CharField(widget=forms.HiddenInput)
    dossier = forms.ModelChoiceField(queryset=Dossier.objects.none(), required=False, empty_label="No dossier")
    new_dossier = forms.CharField(label="…or a new dossier", max_length=200, required=False)
    tags = forms.CharField(
        label="Tags", max_length=1000, required=False, help_text="Separate tags with commas, e.g. age checks, Ofcom."
    )

    def __init__(self, *args, workspace, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dossier"].queryset = Dossier.objects.in_workspace(workspace).filter(archived_at__isnull=True)

    def clean_articles(self) -> list[int]:
        return [int(part) for part in self.cleaned_data["articles"].split(",") if part.strip().isdigit()][:500]

    def clean(self):
        data = super().clean()
        if data.get("dossier") and data.get("new_dossier", "").strip():
            raise forms.ValidationError("Choose a dossier or name a new one, not both.")
        if not (data.get("dossier") or data.get("new_dossier", "").strip() or data.get("tags", "").strip()):
            raise forms.ValidationError("Choose a dossier, name a new one, or give tags.")
        return data


class NoteForm(forms.Form):
    note = forms.CharField(required=False, max_length=20_000, widget=forms.Textarea(attrs={"rows": 2}))


class SectionForm(forms.Form):
    title = forms.CharField(max_length=200)
    note = forms.CharField(required=False, max_length=20_000, widget=forms.Textarea(attrs={"rows": 2}))

    def clean_title(self) -> str:
        title = self.cleaned_data["title"].strip()
        if not title:
            raise forms.ValidationError("Give the section a title.")
        return title


class PinForm(forms.Form):
    dossier = forms.ModelChoiceField(queryset=Dossier.objects.none(), empty_label=None)
    note = forms.CharField(
        label="Why it matters here", required=False, max_length=20_000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, workspace, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dossier"].queryset = Dossier.objects.in_workspace(workspace).filter(archived_at__isnull=True)
