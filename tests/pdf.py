"""Helpers to check generated PDFs as a reader would: their text and their fonts."""

import io

from pypdf import PdfReader


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def pdf_fonts(data: bytes) -> set[str]:
    """Names of the fonts embedded in the PDF (those with a font file)."""
    fonts = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        resources = page.get("/Resources") or {}
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            candidates = [d.get_object() for d in descendants] if descendants else [font]
            for candidate in candidates:
                descriptor = (candidate.get("/FontDescriptor") or {})
                descriptor = descriptor.get_object() if hasattr(descriptor, "get_object") else descriptor
                if any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                    fonts.add(str(candidate.get("/BaseFont")))
    return fonts
