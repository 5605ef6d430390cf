"""The layout shows the design: no import cycles between modules, no crowded package folders.

Both checks read the source with ``ast`` only (nothing is imported), so they also hold for code
that no test happens to import.
"""

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LIBRARIES = ("app", "sampling", "reports")
MAX_MODULES_PER_FOLDER = 16


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def source_modules() -> dict[str, Path]:
    return {module_name(path): path for library in LIBRARIES
            for path in sorted((ROOT / library).rglob("*.py"))}


def _is_type_checking_block(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


def _import_nodes(tree: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    """Every import, also inside functions, except those under ``if TYPE_CHECKING:``."""
    pending = [tree]
    while pending:
        node = pending.pop()
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        pending.extend(child for child in ast.iter_child_nodes(node)
                       if not _is_type_checking_block(child))


def _base(name: str, node: ast.ImportFrom, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    parts = name.split(".") if is_package else name.split(".")[:-1]
    parts = parts[: len(parts) - node.level + 1]
    return ".".join([*parts, *([node.module] if node.module else [])])


def imported_modules(name: str, path: Path, known: set[str]) -> set[str]:
    """The modules of `known` that module `name` imports (a submodule, not its package)."""
    found = set()
    for node in _import_nodes(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
            continue
        base = _base(name, node, path.name == "__init__.py")
        for alias in node.names:
            submodule = f"{base}.{alias.name}"
            found.add(submodule if submodule in known else base)
    return {module for module in found if module in known and module != name}


def import_graph() -> dict[str, set[str]]:
    modules = source_modules()
    known = set(modules)
    return {name: imported_modules(name, path, known) for name, path in modules.items()}


def strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iterative; only components of more than one module."""
    index, low, stack, on_stack, components = {}, {}, [], set(), []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    components.append(_pop_component(stack, on_stack, node))
            elif child not in index:
                index[child] = low[child] = len(index)
                stack.append(child)
                on_stack.add(child)
                work.append((child, iter(sorted(graph[child]))))
            elif child in on_stack:
                low[node] = min(low[node], index[child])
    return [component for component in components if len(component) > 1]


def _pop_component(stack: list[str], on_stack: set[str], root: str) -> list[str]:
    component = []
    while True:
        member = stack.pop()
        on_stack.discard(member)
        component.append(member)
        if member == root:
            return sorted(component)


def test_the_cycle_finder_finds_a_cycle_and_nothing_else():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set(), "f": {"g"}, "g": {"f"}}
    assert sorted(strongly_connected(graph)) == [["a", "b", "c"], ["f", "g"]]
    assert strongly_connected({"a": {"b"}, "b": set()}) == []


def test_the_graph_resolves_submodules_packages_and_relative_imports(tmp_path):
    source = tmp_path / "views.py"
    source.write_text("from app.surveys import distribution, bp\nfrom . import forms\n"
                      "import sampling.draw\nif TYPE_CHECKING:\n    from app import models\n"
                      "def view():\n    from app.surveys.mail import sending\n")
    known = {"app", "app.models", "app.surveys", "app.surveys.distribution", "app.surveys.forms",
             "app.surveys.mail.sending", "sampling.draw", "app.surveys.views"}
    assert imported_modules("app.surveys.views", source, known) == {
        "app.surveys", "app.surveys.distribution", "app.surveys.forms", "sampling.draw",
        "app.surveys.mail.sending"}


def test_no_two_modules_import_each_other():
    cycles = strongly_connected(import_graph())
    assert cycles == [], "import cycles: " + "; ".join(" <-> ".join(c) for c in cycles)


def package_folders() -> list[Path]:
    return sorted(init.parent for folder in (*LIBRARIES, "tests", "benchmarks")
                  for init in (ROOT / folder).rglob("__init__.py")
                  if "vendor" not in init.parts)


@pytest.mark.parametrize("folder", package_folders(), ids=lambda path: str(path.relative_to(ROOT)))
def test_no_package_folder_holds_more_than_16_modules(folder):
    modules = sorted(path.name for path in folder.glob("*.py") if path.name != "__init__.py")
    assert len(modules) <= MAX_MODULES_PER_FOLDER, (
        f"{folder.relative_to(ROOT)} holds {len(modules)} modules side by side; group them in "
        f"sub-packages named after what they are: {modules}")


def test_the_folder_check_sees_the_libraries_and_the_tests():
    names = {str(folder.relative_to(ROOT)) for folder in package_folders()}
    assert {"app", "app/surveys", "sampling", "reports", "tests", "tests/web"} <= names
