"""Import layering, checked on the source (AST), not by importing it.

- nothing under checker/explore imports checker.dsl or checker.compile;
- nothing under checker/ except checker/proofs imports z3.
"""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import ROOT

PKG = ROOT / "checker"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(source: str, module: str, is_package: bool = False) -> list[tuple[int, str]]:
    """Every module an AST imports, relative imports resolved, with line numbers.

    ``from a import b`` yields both ``a`` and ``a.b`` (b may be a module);
    ``importlib.import_module("x")`` and ``__import__("x")`` with a literal
    name count too.
    """
    package = module if is_package else module.rpartition(".")[0]
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base_parts = package.split(".")
                base_parts = base_parts[: len(base_parts) - (node.level - 1)]
                base = ".".join(base_parts + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            found.append((node.lineno, base))
            found += [(node.lineno, f"{base}.{a.name}") for a in node.names]
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in ("import_module", "__import__") and isinstance(node.args[0].value, str):
                found.append((node.lineno, node.args[0].value))
    return found


def is_under(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def offenders(files: list[Path], forbidden: list[str]) -> list[str]:
    bad = []
    for path in files:
        mod = module_name(path)
        for line, name in imports_of(path.read_text(encoding="utf-8"), mod, path.name == "__init__.py"):
            if any(is_under(name, f) for f in forbidden):
                bad.append(f"{path.relative_to(ROOT)}:{line}: imports {name}")
    return bad


def test_scanner_resolves_relative_and_dynamic_imports():
    src = "from ..dsl import parser\nfrom . import search\nimport importlib\nimportlib.import_module('z3')\nimport z3.z3num\n"
    names = [n for _, n in imports_of(src, "checker.explore.search")]
    assert "checker.dsl" in names and "checker.dsl.parser" in names
    assert "checker.explore.search" in names
    assert "z3" in names and "z3.z3num" in names
    names = [n for _, n in imports_of("from .. import compile", "checker.explore", is_package=True)]
    assert "checker.compile" in names


def test_explore_never_imports_the_dsl_or_the_compiler():
    files = sorted((PKG / "explore").rglob("*.py"))
    assert files, "checker/explore has no modules"
    assert offenders(files, ["checker.dsl", "checker.compile"]) == []


def test_only_proofs_imports_z3():
    files = [p for p in sorted(PKG.rglob("*.py")) if not is_under(module_name(p), "checker.proofs")]
    assert offenders(files, ["z3"]) == []


def runtime_imports(source: str, mod: str, is_package: bool = False) -> set[str]:
    """The checker modules a module imports when it runs (function-level
    imports included, `if TYPE_CHECKING:` blocks left out), each named as
    the module it reaches: ``from checker.x import y`` is ``checker.x.y``
    when y is a module, else ``checker.x``."""
    tree = ast.parse(source)
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skip.update(id(n) for stmt in node.body for n in ast.walk(stmt))
    package = mod if is_package else mod.rpartition(".")[0]
    found: set[str] = set()

    def add(name: str) -> None:
        if is_under(name, "checker"):
            found.add(name)

    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            for a in node.names:
                add(a.name)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - (node.level - 1)] + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            for a in node.names:
                sub = f"{base}.{a.name}"
                add(sub if _is_module(sub) else base)
    found.discard(mod)
    return found


def _is_module(name: str) -> bool:
    rel = Path(*name.split("."))
    return (ROOT / rel).with_suffix(".py").exists() or (ROOT / rel / "__init__.py").exists()


def test_no_import_cycle_in_the_package():
    import networkx as nx

    graph = nx.DiGraph()
    for path in sorted(PKG.rglob("*.py")):
        mod = module_name(path)
        graph.add_node(mod)
        for name in runtime_imports(path.read_text(encoding="utf-8"), mod, path.name == "__init__.py"):
            if _is_module(name):
                graph.add_edge(mod, name)
    cycles = [sorted(c) for c in nx.strongly_connected_components(graph) if len(c) > 1]
    assert cycles == []


def test_the_cycle_finder_sees_function_level_imports_but_not_type_only_ones():
    src = ("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from checker.dsl.resolve import RoleInfo\n"
           "def f():\n    from checker.compile import model\n    from .. import values\n")
    found = runtime_imports(src, "checker.compile.exprs")
    assert found == {"checker.compile.model", "checker.values"}
