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


PASTE_MAX_CHARS = 1_000_000
# The page markup a browser copies with a story is several times its text (it copies styles inline);
# with the text it stays well under DATA_UPLOAD_MAX_MEMORY_SIZE (10 MB), the bound of a request's fields.
PASTE_HTML_MAX_CHARS = 5_000_000


def validate_web_address(url: str) -> None:
    URLValidator(schemes=["http", "https"])(url)
    if len(url) > 2000:
        raise forms.ValidationError("too long")


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
        max_length=PASTE_MAX_CHARS,
        help_text="Plain text or the HTML of a page: menus, appeals and sign-up boxes are removed.",
    )
    # The page's markup when the paste came from a browser (filled by static/js/paste.js).
    html = forms.CharField(
        required=False, strip=False, widget=forms.HiddenInput(attrs={"data-max-chars": PASTE_HTML_MAX_CHARS})
    )
    source_url = forms.CharField(
        required=False,
        label="Link to the original",
        widget=forms.URLInput(attrs={"placeholder": "https://…"}),
        help_text="Optional: where the pasted article was published. It names the site and links back; "
        "it is never opened.",
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

    def clean_html(self) -> str:
        html = self.cleaned_data["html"]
        return html if len(html) <= PASTE_HTML_MAX_CHARS else ""  # past it, the plain text alone

    def clean_source_url(self) -> str:
        url = self.cleaned_data["source_url"].strip()
        if url:
            try:
                validate_web_address(url)
            except forms.ValidationError:
                raise forms.ValidationError("Not a web address (http or https).") from None
        return url

    def clean_urls(self) -> list[str]:
        urls, bad = [], []
        for line in self.cleaned_data["urls"].splitlines():
            url = line.strip()
            if not url:
                continue
            try:
                validate_web_address(url)
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
        pasted = data.get("text", "").strip()
        if data.get("source_url") and not pasted:
            self.add_error(
                "source_url", "This link goes with a pasted article: paste it too, or put the link under Links."
            )
        if not self.errors and not (data.get("files") or pasted or data.get("urls")):
            raise forms.ValidationError("Choose files, paste an article or give at least one link.")
        return data


def parse_ids(value: str, limit: int = 200) -> list[int]:
    return [int(part) for part in value.split(",") if part.strip().isdigit()][:limit]
