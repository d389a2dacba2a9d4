from django import forms

from dossiers.models import Dossier


class DossierForm(forms.ModelForm):
    class Meta:
        model = Dossier
        fields = ["title", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 6})}
        help_texts = {"description": "What this dossier is about and what it should show. Markdown is fine."}

    def clean_title(self) -> str:
        title = self.cleaned_data["title"].strip()
        if not title:
            raise forms.ValidationError("Give the dossier a title.")
        return title
