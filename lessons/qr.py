"""QR codes drawn on the server (segno, pure Python): an SVG to put in a page or a PDF."""

import base64
import io

import segno


def qr_svg(data: str, *, scale: int = 4) -> str:
    """The QR code of `data` as SVG markup (no XML declaration), dark on light."""
    out = io.BytesIO()
    segno.make(data, error="m").save(
        out, kind="svg", scale=scale, xmldecl=False, svgns=True, nl=False, border=2, omitsize=True
    )
    return out.getvalue().decode()


def qr_data_uri(data: str, *, scale: int = 4) -> str:
    """The same as an <img> source (WeasyPrint and the CSP both allow data: images)."""
    return "data:image/svg+xml;base64," + base64.b64encode(qr_svg(data, scale=scale).encode()).decode()
