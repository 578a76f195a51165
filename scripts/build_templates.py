"""Regenerate the blank template workbooks in data_templates/ and the GX suites in
expectations/ from the spec files (run after editing a spec; a test checks they are in sync).

    .venv/bin/python scripts/build_templates.py
"""
from __future__ import annotations

import sys
import warnings
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from unionclean.export.upload import write_upload_reference  # noqa: E402
from unionclean.spec import load_spec  # noqa: E402
from unionclean.validate.suite import write_suite  # noqa: E402

BLANK_DATE = date(2026, 1, 1)


def main() -> None:
    warnings.simplefilter("ignore")
    for spec_file in sorted((ROOT / "data_templates").glob("*.yaml")):
        spec = load_spec(spec_file)
        if spec.workbook:
            out = spec_file.parent / spec.workbook
            write_upload_reference(out, spec, "", [], created=BLANK_DATE)
            print(f"wrote {out.relative_to(ROOT)}")
        print(f"wrote {write_suite(spec).relative_to(ROOT)}")


if __name__ == "__main__":
    main()
