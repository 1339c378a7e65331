"""Build the web fonts: Sarabun (volunteerkm/static/fonts/*.ttf, kept whole for the PDFs)
cut down to the characters the site writes — Thai, Basic Latin, digits and the
punctuation below — with every OpenType layout feature kept (Thai marks are placed by
GPOS mark/mkmk and GSUB ccmp), saved as WOFF2 next to the TTFs. Run it when the fonts
change and commit the .woff2 files; nothing is built or downloaded when the site runs:

    .venv/bin/python volunteerkm/fonts/subset.py

fontTools (installed with fpdf2) writes WOFF2 with the `brotli` package: `.venv/bin/pip install brotli` first."""
from pathlib import Path

from fontTools import subset

FONTS = Path(__file__).resolve().parent.parent / "static" / "fonts"
UNICODES = [
    *range(0x20, 0x7F),        # Basic Latin: digits, A–Z, a–z, punctuation
    *range(0x0E01, 0x0E5C),    # Thai
    0xA0, 0xB7, 0xD7, 0xF7,    # no-break space, middle dot, × ÷
    0x2013, 0x2014, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2026, 0x203A,  # – — ‘ ’ “ ” • … ›
    0x2192, 0x2212, 0x2264, 0x2265, 0x25C6, 0x2713, 0x2717,                 # → − ≤ ≥ ◆ ✓ ✗
]


def build(name: str) -> Path:
    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]
    options.hinting = False
    options.desubroutinize = True
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6]  # keep the copyright and licence names (OFL)
    options.notdef_outline = True
    font = subset.load_font(str(FONTS / f"{name}.ttf"), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=UNICODES)
    subsetter.subset(font)
    out = FONTS / f"{name}.woff2"
    subset.save_font(font, str(out), options)
    return out


if __name__ == "__main__":
    for name in ("Sarabun-Regular", "Sarabun-Bold"):
        path = build(name)
        print(f"{path.relative_to(FONTS.parent.parent.parent)}: {path.stat().st_size:,} bytes")
