"""Every reason/message code the package emits has a Vietnamese message."""
import ast
from pathlib import Path

from unionclean.messages import catalogue, message

PKG = Path(__file__).resolve().parents[1] / "unionclean"
# Literals that are prefixes of composed codes (checked in test_composed_codes_have_messages).
_PREFIXES = {"match.decision"}
_FILE_SUFFIXES = {"yaml", "yml", "csv", "json", "xlsx", "xls", "py", "txt", "xml", "ipynb", "tmp"}


def _code_literals():
    prefixes = {k.split(".")[0] for k in catalogue()}
    for py in sorted(PKG.rglob("*.py")):
        tree = ast.parse(py.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                v = node.value  # prefixes such as "match.level." + x are composed at run time
                head, _, tail = v.partition(".")
                if (tail and head in prefixes and "." not in tail and tail not in _FILE_SUFFIXES
                        and tail.replace("_", "").isalnum() and tail.islower()):
                    yield py.relative_to(PKG), v


def test_every_code_literal_has_a_message():
    missing = sorted({(str(p), c) for p, c in _code_literals() if c not in catalogue() and c not in _PREFIXES})
    assert not missing, missing


def test_messages_are_vietnamese_and_format():
    for code, text in catalogue().items():
        assert text.strip(), code
    assert "a.xlsx" in message("read.file_missing", file="a.xlsx")


def test_composed_codes_have_messages():
    for decision in ("merge", "keep_apart"):
        assert f"match.decision.{decision}" in catalogue()
