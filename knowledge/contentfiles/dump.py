"""Writing the database back as knowledge files, in the format `read` takes, byte for byte."""
from pathlib import Path

from knowledge.models import GlossaryTerm, KMReport, SynonymGroup
from knowledge.yamlfiles import dump_yaml, front_matter_text

from .read import ATTRIBUTES, GLOSSARY_KEYS, SCHEMAS


def _meta(obj, kind: str, keep_empty=False) -> dict:
    """The front matter of `obj`, keys in SCHEMAS order; empty values are left out unless
    `keep_empty` (an empty list of questions is always left out)."""
    values = {key: getattr(obj, ATTRIBUTES.get(key, key)) for key in SCHEMAS[kind]}
    return {key: value for key, value in values.items()
            if value != [] and (keep_empty or value not in (None, ""))}


def km_files() -> dict:
    """{relative path: text} of the whole knowledge base in the content format."""
    files = {}
    for report in KMReport.objects.all():
        base = f"km/{report.slug}"
        files[f"{base}/report.md"] = front_matter_text(_meta(report, "report"), report.intro)
        for f in report.fields.all():
            meta = _meta(f, "field", keep_empty=True)
            files[f"{base}/fields/{f.section:02d}-{f.key}.md"] = front_matter_text(meta, f.body)
        for ch in report.chapters.all():
            ch_dir = f"{base}/chapters/{ch.number:02d}-{ch.slug}"
            files[f"{ch_dir}/chapter.md"] = front_matter_text(_meta(ch, "chapter", keep_empty=True), ch.summary)
            for item in ch.items.all():
                files[f"{ch_dir}/{item.order:02d}-{item.slug}.md"] = front_matter_text(_meta(item, "item"), item.body)
    # Sorted in Python (code-point order): database collations differ between SQLite and PostgreSQL.
    terms = sorted(GlossaryTerm.objects.all(), key=lambda t: t.abbr)
    if terms:
        files["glossary.yaml"] = dump_yaml([{k: getattr(t, k) for k in GLOSSARY_KEYS} for t in terms])
    groups = [{"words": g.word_list(), "finds": g.finds_list()} if g.finds_list() else g.word_list()
              for g in SynonymGroup.objects.all()]
    if groups:
        # One group per line, `- [ชุด, เครื่องแบบ]`: easy to read and to diff.
        files["thesaurus.yaml"] = dump_yaml(groups, inline_scalar_lists=True)
    return files


def write_files(root, files: dict) -> list:
    """Write {relative path: text} under `root`; returns the paths written."""
    root = Path(root)
    written = []
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
