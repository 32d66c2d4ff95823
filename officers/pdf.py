"""HTML to PDF for every document the platform prints (certificates, bulletins, records).

WeasyPrint renders a template that extends `pdf/base.html`, which sets the CJK
font (Debian's fonts-noto-cjk); the font is embedded (subset) in the PDF, so
the document reads the same on any machine of the bureau.
"""

from django.conf import settings
from django.template.loader import render_to_string


def render_pdf(template_name: str, context: dict) -> bytes:
    from weasyprint import HTML  # imported lazily: pango loads slowly

    html = render_to_string(template_name, {"bureau_name": settings.BUREAU_NAME, **context})
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
