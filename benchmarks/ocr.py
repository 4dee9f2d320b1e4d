"""OCR quality and speed, measured against text layers we trust.

    python benchmarks/ocr.py [--english N] [--french N] [--dpi 200]

Pages of text PDFs of ../shared/corpus (English: the AI Act, the DPR paper, the LayoutParser
paper; French: fr_olap.pdf) are rendered to grey images as a scanner would give them, read by
the import's own OCR (core/ingest/ocr.py: Tesseract, eng+fra, one thread), and compared with
the page's text layer read by PDFium. Prints the character error rate per language (edit
distance / characters of the text layer, both sides normalised: Unicode NFKC, straight
quotes, words hyphenated at line ends joined, whitespace collapsed) and seconds per page
(render + OCR), over all pages and over pages without pictures, since a chart's labels are read
by OCR but absent from the text layer. The targets (CER <= 3 % English, <= 4 % French) are
checked on every page with its pictures painted white before OCR: the page then holds just the
text its text layer holds, so no page is left out of the measure.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
sys.path.insert(0, str(ROOT / "src"))

# (file, pages to take, spread evenly over the document)
ENGLISH = [("eu_ai_act_official.pdf", 4), ("pdf/multi-column-2p.pdf", 2),
           ("pdf/layout-parser-paper-with-table.pdf", 1)]
FRENCH = [("language-docs/fr_olap.pdf", 7)]
_QUOTES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "«": '"', "»": '"',
                         "–": "-", "—": "-", "\u00a0": " "})


def normalise(text: str) -> str:
    text = text.replace("\ufffe\r\n", "").replace("\x02\r\n", "").replace("\ufffe", "")
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    text = re.sub(r"(\w)-\s*\n\s*(\w)", r"\1\2", text)  # hyphenated at a line end
    return " ".join(text.split())


def pages_of(path: Path, count: int, total: int) -> list[int]:
    if count >= total:
        return list(range(total))
    return sorted({round(i * (total - 1) / max(count - 1, 1)) for i in range(count)})


def has_pictures(page) -> bool:  # type: ignore[no-untyped-def]
    """Pictures may hold text (chart labels) the text layer lacks: OCR reading it is right,
    yet counts as inserted characters against the text layer."""
    import pypdfium2.raw as raw

    return any(o.type == raw.FPDF_PAGEOBJ_IMAGE for o in page.get_objects(max_depth=3))


def mask_pictures(image, page, scale: float):  # type: ignore[no-untyped-def]
    """The rendered page with every picture's box painted white (PDF points, origin at the
    bottom left; the image's origin is at the top left)."""
    import pypdfium2.raw as raw
    from PIL import ImageDraw

    masked = image.copy()
    draw = ImageDraw.Draw(masked)
    height = page.get_height()
    for item in page.get_objects(max_depth=3):
        if item.type == raw.FPDF_PAGEOBJ_IMAGE:
            left, bottom, right, top = item.get_bounds()
            draw.rectangle([left * scale, (height - top) * scale,
                            right * scale, (height - bottom) * scale], fill=255)
    return masked


Row = tuple[int, int, float, bool, int]


def measure(files: list[tuple[str, int]], dpi: int) -> list[Row]:
    """Per page: (edits, reference characters, seconds, has pictures, edits with the pictures
    masked)."""
    import pypdfium2 as pdfium
    from rapidfuzz.distance import Levenshtein

    from desktop_rag.core.ingest.ocr import read_image

    found = []
    for name, count in files:
        document = pdfium.PdfDocument(str(CORPUS / name))
        for index in pages_of(CORPUS / name, count, len(document)):
            page = document[index]
            pictures = has_pictures(page)
            textpage = page.get_textpage()
            reference = normalise(textpage.get_text_range())
            textpage.close()
            clock = time.perf_counter()
            image = page.render(scale=dpi / 72, grayscale=True).to_pil()
            read = normalise(read_image(image))
            spent = time.perf_counter() - clock
            distance = Levenshtein.distance(read, reference)
            masked = distance
            if pictures:
                shown = normalise(read_image(mask_pictures(image, page, dpi / 72)))
                masked = Levenshtein.distance(shown, reference)
            page.close()
            chars = max(len(reference), 1)
            print(f"  {name} p.{index + 1}: {len(reference)} chars, CER "
                  f"{100 * distance / chars:.2f} %, {spent:.1f} s"
                  + (f" (pictures; masked: {100 * masked / chars:.2f} %)" if pictures else ""),
                  flush=True)
            found.append((distance, len(reference), spent, pictures, masked))
        document.close()
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dpi", type=int, default=None, help="render resolution (default: the "
                                                                "import's)")
    parser.add_argument("--english", type=int, default=None, help="pages per English file")
    parser.add_argument("--french", type=int, default=None, help="pages of the French file")
    args = parser.parse_args()
    from desktop_rag.core.ingest.ocr import RENDER_DPI, tesseract

    tesseract()
    dpi = args.dpi or RENDER_DPI
    english = [(n, args.english or c) for n, c in ENGLISH]
    french = [(n, args.french or c) for n, c in FRENCH]
    results = {}
    for language, files in (("English", english), ("French", french)):
        print(f"{language}:", flush=True)
        results[language] = measure(files, dpi)
    print(f"\nOCR at {dpi} dpi, Tesseract eng+fra, one thread")
    print(f"{'language':<9} {'pages':<17} {'n':>3} {'chars':>7} {'CER':>7} {'s/page':>7} target")
    for (language, rows), target in zip(results.items(), (3, 4), strict=True):
        for label, chosen, column in (
                ("all", rows, 0), ("without pictures", [r for r in rows if not r[3]], 0),
                ("pictures masked", rows, 4)):
            edits, chars = sum(r[column] for r in chosen), sum(r[1] for r in chosen)
            seconds = sum(r[2] for r in chosen)
            cer = 100 * edits / max(chars, 1)
            verdict = ("ok" if cer <= target else "MISSED") if column else ""
            print(f"{language:<9} {label:<17} {len(chosen):>3} {chars:>7} {cer:>6.2f}% "
                  f"{seconds / max(len(chosen), 1):>7.1f} <= {target} % {verdict}")


if __name__ == "__main__":
    main()
