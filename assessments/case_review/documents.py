"""Case-file documents: checking uploads, page images, and the viewer's watermark.

A document's pages are rendered once with poppler's `pdftoppm` into the private
storage (keyed by the PDF's digest, so a replaced PDF never shows old pages);
each request then stamps the cached page with the viewer's name and police
number (Pillow), so a leaked screenshot names its source. Stamping a cached
page takes a few milliseconds; rendering happens once per document.
"""

import functools
import hashlib
import io
import os
import subprocess
import tempfile

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext as _

from officers.private_files import private_storage

# Larger scans are refused: a case-file document is a few pages of A4.
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
MAX_DOCUMENT_PAGES = 200
PAGE_DPI = 110
PAGE_DIR = "case_review/pages"
FONT_CANDIDATES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
)


def size_check(size: int) -> None:
    """Refuse a file over the stated limit before reading it."""
    if size > MAX_DOCUMENT_BYTES:
        raise ValidationError(
            _("The file is %(size)s MB; a document may be at most %(limit)s MB.")
            % {"size": f"{size / 1024 / 1024:.1f}", "limit": MAX_DOCUMENT_BYTES // 1024 // 1024}
        )


def pdf_check(data: bytes) -> int:
    """The page count of a readable PDF within the limits, or ValidationError in Chinese."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    size_check(len(data))
    if not data.lstrip()[:5] == b"%PDF-":
        raise ValidationError(_("The file is not a PDF. Upload a PDF scan of the document."))
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise ValidationError(_("The PDF is protected by a password. Upload it without the password."))
        pages = len(reader.pages)
        reader.pages[0].mediabox  # noqa: B018 - touching the first page proves it can be read
    except ValidationError:
        raise
    except (PdfReadError, ValueError, KeyError, IndexError, TypeError, OSError) as error:
        raise ValidationError(_("The PDF cannot be read (it may be damaged). Scan or export it again.")) from error
    if pages < 1:
        raise ValidationError(_("The PDF has no pages."))
    if pages > MAX_DOCUMENT_PAGES:
        raise ValidationError(
            _("The PDF has %(pages)s pages; a document may have at most %(limit)s.")
            % {"pages": pages, "limit": MAX_DOCUMENT_PAGES}
        )
    return pages


def text_to_pdf(*, title: str, text: str, case_title: str = "") -> bytes:
    """A typed document printed as an A4 PDF in Chinese."""
    from officers.pdf import render_pdf

    return render_pdf("assessments/case_review/pdf/document.html", {
        "title": title, "paragraphs": text.splitlines(), "case_title": case_title,
    })


def pdf_store(*, data: bytes, title: str) -> tuple[str, str]:
    """Save the PDF in the private storage; (stored name, digest)."""
    digest = hashlib.sha256(data).hexdigest()
    name = private_storage.save(f"case_review/documents/{digest[:16]}.pdf", ContentFile(data))
    return name, digest


def _page_name(document, number: int) -> str:
    return f"{PAGE_DIR}/{document.pk}-{document.digest[:16]}/{number}.png"


def pages_render(document) -> None:
    """Render every page of the document to PNG in the private storage (once)."""
    if private_storage.exists(_page_name(document, document.page_count)):
        return
    with tempfile.TemporaryDirectory() as tmp:
        source = os.path.join(tmp, "doc.pdf")
        with document.pdf.open("rb") as handle, open(source, "wb") as out:
            out.write(handle.read())
        subprocess.run(
            ["pdftoppm", "-r", str(PAGE_DPI), "-png", source, os.path.join(tmp, "p")],
            check=True, capture_output=True, timeout=120,
        )
        rendered = sorted(
            (f for f in os.listdir(tmp) if f.startswith("p") and f.endswith(".png")),
            key=lambda f: int(f[2:-4]),
        )
        for number, filename in enumerate(rendered, start=1):
            name = _page_name(document, number)
            if private_storage.exists(name):
                continue
            with open(os.path.join(tmp, filename), "rb") as handle:
                # The storage could rename a clash; the page name must be exact, so write through its path.
                path = private_storage.path(name)
                os.makedirs(os.path.dirname(path), exist_ok=True)
                partial = f"{path}.{os.getpid()}.part"
                with open(partial, "wb") as out:
                    out.write(handle.read())
                os.replace(partial, path)


@functools.lru_cache(maxsize=1)
def _font_path() -> str:
    for candidate in FONT_CANDIDATES:
        if os.path.exists(candidate):
            return candidate
    found = subprocess.run(["fc-match", "-f", "%{file}", "Noto Sans CJK SC"], capture_output=True, text=True, check=False)
    return found.stdout.strip()


@functools.lru_cache(maxsize=64)
def _stamp(text: str, size: tuple[int, int]):
    """A transparent layer with the text repeated diagonally, for pages of this size."""
    from PIL import Image, ImageDraw, ImageFont

    width, height = size
    font = ImageFont.truetype(_font_path(), max(14, width // 38))
    tile_w = int(font.getlength(text)) + width // 6
    tile_h = max(80, height // 9)
    tile = Image.new("RGBA", (tile_w, tile_h), (0, 0, 0, 0))
    ImageDraw.Draw(tile).text((0, tile_h // 3), text, font=font, fill=(90, 90, 90, 58))
    tile = tile.rotate(24, expand=True, resample=Image.Resampling.BICUBIC)
    layer = Image.new("RGBA", size, (0, 0, 0, 0))
    step_x, step_y = tile.width, max(1, tile.height * 2 // 3)
    for row, y in enumerate(range(-step_y, height + step_y, step_y)):
        offset = (row % 2) * step_x // 2
        for x in range(-step_x + offset, width + step_x, step_x):
            layer.alpha_composite(tile, (max(x, 0), max(y, 0)), (max(-x, 0), max(-y, 0)))
    return layer


def watermark_text(officer) -> str:
    return f"{officer.name} {officer.police_number} {timezone.localdate():%Y-%m-%d}"


def page_image(*, document, number: int, officer) -> bytes:
    """Page `number` of the document as a JPEG stamped with the viewer's name and police number."""
    from PIL import Image

    pages_render(document)
    with private_storage.open(_page_name(document, number), "rb") as handle:
        page = Image.open(handle)
        page.load()
    page = page.convert("RGBA")
    page.alpha_composite(_stamp(watermark_text(officer), page.size))
    out = io.BytesIO()
    page.convert("RGB").save(out, "JPEG", quality=80)
    return out.getvalue()
