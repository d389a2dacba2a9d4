from django import forms
from django.conf import settings
from django.core.validators import URLValidator
from django.template.defaultfilters import filesizeformat


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else [data] if data else []
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


class AddArticlesForm(forms.Form):
    files = MultipleFileField(
        required=False,
        label="Files",
        help_text="HTML, plain text, Markdown, PDF with a text layer, or Word (.docx). Several at once is fine.",
    )
    text = forms.CharField(
        required=False,
        label="Paste an article",
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=1_000_000,
        help_text="Plain text or the HTML of a page: menus, appeals and sign-up boxes are removed.",
    )
    urls = forms.CharField(
        required=False,
        label="Links",
        widget=forms.Textarea(attrs={"rows": 4, "placeholder": "https://…\nhttps://…"}),
        help_text="One web address per line.",
    )

    def clean_files(self):
        files = self.cleaned_data["files"]
        if len(files) > settings.MAX_FILES_PER_SUBMISSION:
            raise forms.ValidationError(f"Send at most {settings.MAX_FILES_PER_SUBMISSION} files at a time.")
        limit = settings.MAX_UPLOAD_BYTES
        too_big = [f.name for f in files if f.size > limit]
        if too_big:
            raise forms.ValidationError(
                f"{', '.join(too_big)}: larger than the {filesizeformat(limit)} limit for one file."
            )
        return files

    def clean_urls(self) -> list[str]:
        urls, bad = [], []
        validate = URLValidator(schemes=["http", "https"])
        for line in self.cleaned_data["urls"].splitlines():
            url = line.strip()
            if not url:
                continue
            try:
                validate(url)
            except forms.ValidationError:
                bad.append(url[:80])
                continue
            if url not in urls:
                urls.append(url)
        if bad:
            raise forms.ValidationError(f"Not a web address (http or https): {'; '.join(bad[:5])}")
        if len(urls) > settings.MAX_URLS_PER_SUBMISSION:
            raise forms.ValidationError(f"Send at most {settings.MAX_URLS_PER_SUBMISSION} links at a time.")
        return urls

    def clean(self):
        data = super().clean()
        if not self.errors and not (data.get("files") or data.get("text", "").strip() or data.get("urls")):
            raise forms.ValidationError("Choose files, paste an article or give at least one link.")
        return data


def parse_ids(value: str, limit: int = 200) -> list[int]:
    return [int(part) for part in value.split(",") if part.strip().isdigit()][:limit]
