"""QR codes of the site's addresses (segno), as PNG for PDFs and images and as SVG for
pages: certificates, share cards, posters, the booklet and signage all draw them here."""
import io

import segno


def qr_png(url: str, scale: int = 8, border: int = 2) -> io.BytesIO:
    """The QR code of ``url`` as a PNG in a buffer positioned at its start."""
    buf = io.BytesIO()
    segno.make(url, error="m").save(buf, kind="png", scale=scale, border=border)
    buf.seek(0)
    return buf


def qr_svg(url: str, scale: int = 10, border: int = 2) -> bytes:
    """The QR code of ``url`` as an SVG document."""
    buf = io.BytesIO()
    segno.make(url, error="m").save(buf, kind="svg", scale=scale, border=border, title=url)
    return buf.getvalue()


def qr_svg_inline(url: str, title: str = "") -> str:
    """The QR code of ``url`` as an <svg> element to put in a page, sized by CSS."""
    return segno.make(url, error="m").svg_inline(omitsize=True, border=2, dark="#000", light="#fff",
                                                 title=title or None)
