"""Command line: ``unionclean clean INPUT... --out DIR`` and ``unionclean run RECIPE INPUT... --out DIR``.

Messages are in Vietnamese; no personal value is ever printed.
"""
from __future__ import annotations

import argparse
import sys
from datetime import date

from unionclean import __version__
from unionclean.errors import InputFileError, RecipeError, SpecError
from unionclean.messages import message

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="unionclean", description="Làm sạch danh sách đoàn viên theo mẫu tải lên.")
    p.add_argument("--version", action="version", version=f"unionclean {__version__}")
    sub = p.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("clean", help="Làm sạch các tệp đơn vị (tệp hoặc thư mục).")
    c.add_argument("inputs", nargs="+", help="Tệp .xlsx/.xlsm/.xls/.csv hoặc thư mục")
    c.add_argument("--out", required=True, help="Thư mục kết quả")
    c.add_argument("--recipe", help="Công thức (recipe.yaml) đã lưu")
    c.add_argument("--template", help="Tệp đặc tả mẫu (YAML) nếu khác mẫu tham chiếu")
    c.add_argument("--today", help="Ngày chạy (yyyy-mm-dd), mặc định là hôm nay")
    c.add_argument("--jobs", type=int, default=None, help="Số tiến trình song song")
    c.add_argument("--quiet", action="store_true", help="Không hiện thanh tiến trình")
    c.add_argument("--no-cross-unit", action="store_true",
                   help="Không tìm người trùng giữa các đơn vị (không tạo duplicates.xlsx)")
    c.add_argument("--corrections", nargs="+", default=[], metavar="REVIEW",
                   help="Phiếu rà soát (.review.xlsx) đơn vị đã sửa và gửi lại")
    r = sub.add_parser("run", help="Chạy lại một công thức đã lưu trên tệp mới.")
    r.add_argument("recipe", help="Công thức (recipe.yaml)")
    r.add_argument("inputs", nargs="+")
    r.add_argument("--out", required=True)
    r.add_argument("--template")
    r.add_argument("--jobs", type=int, default=None)
    r.add_argument("--quiet", action="store_true")
    r.add_argument("--no-cross-unit", action="store_true")
    r.add_argument("--corrections", nargs="+", default=[], metavar="REVIEW")
    return p


def main(argv: list[str] | None = None) -> int:
    from unionclean import api

    args = _parser().parse_args(argv)
    today = None
    if getattr(args, "today", None):
        try:
            today = date.fromisoformat(args.today)
        except ValueError:
            print(message("cli.bad_argument", why=f"--today {args.today} (cần dạng yyyy-mm-dd)"), file=sys.stderr)
            return 2
    try:
        if args.cmd == "clean":
            res = api.clean(args.inputs, args.out, recipe=args.recipe, template=args.template, today=today,
                            jobs=args.jobs, progress=not args.quiet, corrections=args.corrections,
                            cross_unit=not args.no_cross_unit)
        else:
            res = api.run(args.recipe, args.inputs, args.out, template=args.template, jobs=args.jobs,
                          progress=not args.quiet, corrections=args.corrections, cross_unit=not args.no_cross_unit)
    except RecipeError as exc:
        print(message("cli.recipe_invalid", file=getattr(args, "recipe", ""), why="; ".join(exc.problems)),
              file=sys.stderr)
        return 2
    except InputFileError as exc:
        print(exc.message(), file=sys.stderr)
        return 2
    except SpecError as exc:
        print(message("cli.template_invalid", why=str(exc)), file=sys.stderr)
        return 2
    for line in api.summary_lines(res):
        print(line)
    return res.exit_code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
