"""YAML in the content files (content/README.md): the knowledge files and the question bank.

Reading keeps the line every list entry and every front-matter key starts on, so each
problem is reported in Thai with its file and line (ContentError). Writing uses one
style, the one the files are kept in, so a load followed by a dump changes no byte.
"""
from dataclasses import dataclass
from pathlib import Path

import yaml


class ContentError(Exception):
    """A problem in a content file, in Thai, with the file and line it is on."""

    def __init__(self, path, line, message):
        self.path, self.line, self.message = str(path), line, message
        where = f"{self.path} บรรทัด {line}" if line else self.path
        super().__init__(f"{where}: {message}")


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ContentError(path, None, "ไฟล์ต้องเข้ารหัสแบบ UTF-8") from None


def _parse(text: str, path: Path, first_line: int = 1):
    """(node, data) of one YAML document; `first_line` is the file line the text starts on."""
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        return node, (loader.construct_document(node) if node is not None else None)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + first_line if mark else None
        raise ContentError(path, line, f"รูปแบบ YAML ไม่ถูกต้อง ({getattr(exc, 'problem', None) or exc})") from None
    finally:
        loader.dispose()


@dataclass(frozen=True)
class Entry:
    """One entry of a YAML list file and the line it starts on."""

    path: Path
    line: int
    value: object

    def error(self, message: str) -> ContentError:
        return ContentError(self.path, self.line, message)

    def check_keys(self, allowed):
        unknown = [key for key in self.value if key not in allowed]
        if unknown:
            raise self.error(f"ไม่รู้จักคีย์ '{unknown[0]}' (ใช้ได้: {', '.join(allowed)})")


def read_yaml_list(path: Path) -> list[Entry]:
    node, data = _parse(_read_text(path), path)
    if data is None:
        return []
    if not isinstance(data, list):
        raise ContentError(path, 1, "ไฟล์ต้องเป็นรายการ (list) โดยแต่ละข้อขึ้นต้นด้วย - ")
    return [Entry(path, item.start_mark.line + 1, value) for item, value in zip(node.value, data, strict=True)]


def read_yaml_mappings(path: Path) -> list[Entry]:
    """A YAML list whose every entry is a mapping (key: value)."""
    entries = read_yaml_list(path)
    for n, entry in enumerate(entries, start=1):
        if not isinstance(entry.value, dict):
            raise entry.error(f"รายการที่ {n} ต้องเป็นชุด คีย์: ค่า")
    return entries


@dataclass
class FrontMatter:
    """A Markdown file's YAML header (between two --- lines) and its body."""

    meta: dict
    body: str
    key_lines: dict  # each key, as written, → the file line it is on
    body_line: int  # the file line the body starts on

    def line_of(self, key) -> int:
        """The line of `key`, or the header's first line when the key is missing."""
        return self.key_lines.get(str(key), 2)


def read_front_matter(path: Path) -> FrontMatter:
    lines = _read_text(path).split("\n")
    if lines[0] != "---":
        raise ContentError(path, 1, "ไฟล์ต้องขึ้นต้นด้วยบรรทัด --- ตามด้วยส่วนหัว (front matter)")
    try:
        end = lines.index("---", 1)
    except ValueError:
        raise ContentError(path, 1, "ไม่พบบรรทัด --- ที่ปิดส่วนหัว (front matter)") from None
    node, meta = _parse("\n".join(lines[1:end]), path, first_line=2)
    if meta is None:  # an empty header
        meta = {}
    if not isinstance(meta, dict):
        raise ContentError(path, 2, "ส่วนหัวต้องเป็นรายการ คีย์: ค่า")
    key_lines = {}
    for key_node, _ in node.value if meta else []:
        key_lines.setdefault(key_node.value, key_node.start_mark.line + 2)
    return FrontMatter(meta, "\n".join(lines[end + 1 :]).strip("\n"), key_lines, end + 2)


def dump_yaml(data, inline_scalar_lists=False) -> str:
    """YAML as the content files keep it: Thai as is, keys in the order given, long lines
    unbroken. `inline_scalar_lists` writes a list of plain values on one line: `[a, b]`."""
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000,
                          default_flow_style=None if inline_scalar_lists else False)


def front_matter_text(meta: dict, body: str) -> str:
    text = "---\n" + dump_yaml(meta) + "---\n"
    return text + (body.strip("\n") + "\n" if body.strip() else "")
