"""Fixture builders: news pages, DOCX and PDF files made in code."""

from __future__ import annotations

import io
import zipfile
from html import escape

STORY = [
    "The Online Safety Act came into force on Monday, ministers said, bringing in new duties for social "
    "media platforms and search engines operating in the UK.",
    "Under the law, companies must assess the risk of illegal content appearing on their services and take "
    "steps to remove it quickly. The regulator, Ofcom, will be able to fine firms up to 10% of their global turnover.",
    "Campaigners said the rules did not go far enough, while some technology firms warned that compliance "
    "costs would fall hardest on smaller services. The charity said donations had fallen by a third.",
    "Ofcom said it would consult on the newsletter rules later in the year, and would publish further codes "
    "of practice in the summer.",
]

OTHER_STORY = [
    "Ofcom has opened its first investigation under the new online safety regime, examining whether a "
    "file-sharing service failed to protect children from harmful material.",
    "The regulator said it had written to the company in January asking for its risk assessment and had "
    "received an incomplete response, prompting formal enforcement action this week.",
    "Lawyers for the firm said it was cooperating fully and disputed several of the findings, adding that "
    "its moderation team had doubled in size since the summer.",
    "If the breaches are confirmed the company could face penalties and, in the most serious cases, "
    "business disruption measures that would require payment providers to withdraw services.",
]


def news_page(
    *,
    headline: str = "Online Safety Act comes into force as regulator sets out first duties",
    site: str = "The Daily Ledger",
    paragraphs: list[str] | None = None,
    chrome: bool = True,
    lang: str = "en-GB",
    charset_meta: str = '<meta charset="utf-8">',
) -> str:
    """A realistic article page with navigation, cookie banner, share bar, appeals and a 'most popular' list."""
    story = paragraphs if paragraphs is not None else STORY
    body = [f"<p>{escape(p)}</p>" for p in story]
    body.insert(
        2,
        "<h2>What changes for users</h2>"
        '<p>Users should see clearer reporting tools, according to <a href="/guidance/ofcom">guidance '
        "published by Ofcom</a>.</p>"
        "<ul><li>Faster removal of illegal content</li><li>Clearer complaint routes</li></ul>"
        "<blockquote><p>“This is a turning point for online safety,” said the technology secretary.</p></blockquote>"
        '<figure><img src="/img/ofcom.jpg" alt="Ofcom headquarters">'
        "<figcaption>Ofcom's offices in London. Photograph: Alex Brown</figcaption></figure>",
    )
    top = bottom = side = ""
    if chrome:
        top = (
            '<div class="cookie-banner"><p>We use cookies to improve your experience on our site.</p>'
            "<button>Accept all</button></div>"
            '<header><nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li>'
            '<li><a href="/sport">Sport</a></li><li><a href="/culture">Culture</a></li></ul></nav></header>'
        )
        body.insert(
            0,
            '<div class="share-bar"><a href="https://facebook.example/share">Share on Facebook</a> '
            '<a href="https://twitter.example/share">Share on Twitter</a></div>',
        )
        bottom = (
            '<aside class="newsletter"><h3>Sign up for our newsletter</h3>'
            "<p>Get the day's top stories in your inbox every morning.</p>"
            '<form><input type="email"><button>Sign up</button></form></aside>'
            '<div class="support"><p>Your support helps us keep reporting on the issues that matter. '
            "Support independent journalism. Donate now.</p></div>"
            '<div class="comments"><h3>Join the conversation</h3><p>Comments are closed on this article.</p></div>'
        )
        side = (
            '<aside class="most-popular"><h2>Most popular</h2><ol>'
            '<li><a href="/a">Man bites dog in shocking twist</a></li>'
            '<li><a href="/b">Ten best sandwiches of the year ranked</a></li></ol></aside>'
            f"<footer><p>© 2025 {escape(site)}. All rights reserved.</p></footer>"
        )
    return f"""<!DOCTYPE html>
<html lang="{lang}"><head>{charset_meta}
<title>{escape(headline)} | {escape(site)}</title>
<meta property="og:title" content="{escape(headline)}">
<meta name="description" content="Platforms must now assess the risk of illegal content, Ofcom says.">
<meta property="og:site_name" content="{escape(site)}">
<meta name="author" content="Jane Smith and Tom Jones">
<meta property="article:published_time" content="2025-03-17T09:30:00Z">
<link rel="canonical" href="https://www.dailyledger.example/news/2025/mar/17/online-safety-act">
</head><body>{top}<main><article><h1>{escape(headline)}</h1>
<p class="byline">By Jane Smith and Tom Jones</p>
{"".join(body)}{bottom}</article></main>{side}</body></html>"""


# --- DOCX -----------------------------------------------------------------

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="word/document.xml"/></Relationships>'
)


def docx_paragraph(text: str, style: str = "") -> str:
    ppr = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    return f'<w:p>{ppr}<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>'


def docx_hyperlink(text: str, rel_id: str = "rId9") -> str:
    return f'<w:p><w:hyperlink r:id="{rel_id}"><w:r><w:t>{escape(text)}</w:t></w:r></w:hyperlink></w:p>'


def make_docx(
    body_xml: str,
    *,
    doc_rels: str = "",
    prolog: str = "",
    extra: dict[str, bytes] | None = None,
) -> bytes:
    document = (
        f'<?xml version="1.0" encoding="UTF-8"?>{prolog}'
        f'<w:document xmlns:w="{_W}" xmlns:r="{_R}"><w:body>{body_xml}</w:body></w:document>'
    )
    rels = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{doc_rels}</Relationships>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _ROOT_RELS)
        archive.writestr("word/document.xml", document)
        archive.writestr("word/_rels/document.xml.rels", rels)
        for name, content in (extra or {}).items():
            archive.writestr(name, content)
    return buffer.getvalue()


def hyperlink_rel(target: str, rel_id: str = "rId9") -> str:
    return (
        f'<Relationship Id="{rel_id}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" '
        f'Target="{escape(target)}" TargetMode="External"/>'
    )


# --- PDF ------------------------------------------------------------------


def _pdf(objects: list[bytes], trailer_extra: bytes = b"") -> bytes:
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, trailer_extra, xref)
    )
    return out.getvalue()


def _stream(content: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s>>\nstream\n" % (len(content), extra) + content + b"\nendstream"


def make_pdf(pages: list[list[str]], *, trailer_extra: bytes = b"", extra_objects: list[bytes] | None = None) -> bytes:
    """One page per list; each string becomes a separate paragraph of text."""
    count = len(pages)
    kids = b" ".join(b"%d 0 R" % (4 + 2 * i) for i in range(count))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, count),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    for paragraphs in pages:
        lines = []
        y = 720
        for paragraph in paragraphs:
            safe = paragraph.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)").encode("latin-1")
            lines.append(b"BT /F1 11 Tf 72 %d Td (%s) Tj ET" % (y, safe))
            y -= 60
        content = b"\n".join(lines)
        page_number = len(objects) + 1
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> "
            b"/Contents %d 0 R >>" % (page_number + 1)
        )
        objects.append(_stream(content))
    objects.extend(extra_objects or [])
    return _pdf(objects, trailer_extra)


def make_image_only_pdf() -> bytes:
    pixels = b"\x80" * 16
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /XObject << /Im1 5 0 R >> >> "
        b"/Contents 4 0 R >>",
        _stream(b"q 400 0 0 400 100 200 cm /Im1 Do Q"),
        _stream(
            pixels, b"/Type /XObject /Subtype /Image /Width 4 /Height 4 /ColorSpace /DeviceGray /BitsPerComponent 8 "
        ),
    ]
    return _pdf(objects)


def make_encrypted_pdf() -> bytes:
    encrypt = b"<< /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P -4 >>" % (b"ab" * 32, b"cd" * 32)
    return make_pdf(
        [["Secret text."]],
        trailer_extra=b"/Encrypt 6 0 R /ID [<%s> <%s>] " % (b"01" * 16, b"01" * 16),
        extra_objects=[encrypt],
    )
