import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))

from long_functions import long_functions  # noqa: E402


def _function(name: str, body_lines: int, *, decorator: str = "", docstring_lines: int = 0) -> str:
    lines = [decorator] if decorator else []
    lines.append(f"def {name}():")
    if docstring_lines:
        lines += ['    """'] + ["    text"] * (docstring_lines - 2) + ['    """']
    lines += [f"    x{index} = {index}" for index in range(body_lines)]
    return "\n".join(lines) + "\n"


def test_functions_and_views_are_measured_against_their_own_limits(tmp_path):
    source = tmp_path / "module.py"
    source.write_text(
        _function("short_enough", 29)                                   # 30 lines with the def
        + _function("too_long", 30)                                     # 31
        + _function("view_ok", 24, decorator='@bp.route("/a")')         # 25
        + _function("view_too_long", 25, decorator='@bp.get("/b")')     # 26
        + _function("documented", 29, docstring_lines=40))              # 30 without its docstring
    found = {item.name: (item.kind, item.length) for item in long_functions(source)}
    assert found == {"too_long": ("function", 31), "view_too_long": ("view", 26)}
