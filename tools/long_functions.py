"""List functions over 30 lines and views over 25 lines (the limits in STYLE.md), longest first.

A view is a function decorated with a blueprint route (``@bp.route``, ``@bp.get`` …). The length
counts the lines from the ``def`` (after the decorators) to the function's last line, blank lines
included, less its docstring (numpydoc references are documentation, not code to split). Usage,
from the repository root::

    .venv/bin/python tools/long_functions.py                # app/ sampling/ reports/
    .venv/bin/python tools/long_functions.py app/surveys    # one folder or file
    .venv/bin/python tools/long_functions.py --count        # only the totals

The exit code is 0: the list is for a maintainer deciding what to split, not a gate.
"""

from __future__ import annotations

import argparse
import ast
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

FUNCTION_LIMIT = 30
VIEW_LIMIT = 25
ROUTE_METHODS = {"route", "get", "post", "put", "patch", "delete"}
DEFAULT_PATHS = ("app", "sampling", "reports")


class LongFunction(NamedTuple):
    path: str
    line: int
    name: str
    kind: str
    length: int
    limit: int


def is_view(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    for decorator in node.decorator_list:
        call = decorator.func if isinstance(decorator, ast.Call) else decorator
        if isinstance(call, ast.Attribute) and call.attr in ROUTE_METHODS:
            return True
    return False


def docstring_lines(node: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    first = node.body[0]
    if (isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)
            and isinstance(first.value.value, str)):
        return first.end_lineno - first.lineno + 1
    return 0


def long_functions(path: Path) -> Iterator[LongFunction]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        view = is_view(node)
        limit = VIEW_LIMIT if view else FUNCTION_LIMIT
        length = node.end_lineno - node.lineno + 1 - docstring_lines(node)
        if length > limit:
            yield LongFunction(str(path), node.lineno, node.name, "view" if view else "function",
                               length, limit)


def python_files(paths: list[str]) -> Iterator[Path]:
    for name in paths:
        path = Path(name)
        yield from sorted(path.rglob("*.py")) if path.is_dir() else [path]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", default=list(DEFAULT_PATHS))
    parser.add_argument("--count", action="store_true", help="print only the totals")
    options = parser.parse_args(argv)
    found = [item for path in python_files(options.paths) for item in long_functions(path)]
    found.sort(key=lambda item: (-item.length, item.path, item.line))
    if not options.count:
        for item in found:
            print(f"{item.length:4d} lines  {item.kind:<8} {item.path}:{item.line} {item.name} "
                  f"(limit {item.limit})")
    views = sum(item.kind == "view" for item in found)
    print(f"{len(found) - views} functions over {FUNCTION_LIMIT} lines, "
          f"{views} views over {VIEW_LIMIT} lines")
    return 0


if __name__ == "__main__":
    sys.exit(main())
