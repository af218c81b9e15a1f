"""Load a model from a spec file (.dsl) or a Python model file (.py)."""

from __future__ import annotations

import importlib.util
import inspect
import sys
import zlib
from pathlib import Path
from typing import Any

from checker.errors import CheckerError, UsageError
from checker.model import Model


def parse_consts(items: list[str] | None) -> dict[str, str]:
    """``--const NAME=VALUE`` options -> {NAME: VALUE text}."""
    consts: dict[str, str] = {}
    for item in items or []:
        name, sep, value = item.partition("=")
        name = name.strip()
        if not sep or not name or not value.strip():
            raise UsageError(f"--const {item}: expected NAME=VALUE, e.g. --const Servers=5")
        if name in consts:
            raise UsageError(f"--const {name} is given twice")
        consts[name] = value.strip()
    return consts


def load_model(path: str, consts: dict[str, str] | None = None, *, symmetry: bool = True,
               symmetric: tuple[str, ...] = (), faults: dict[str, int] | None = None) -> Model:
    """A spec (.dsl) is parsed, resolved and compiled; a Python file must
    define ``build_model(**consts) -> Model``. ``symmetry=False`` turns
    symmetry reduction off (``--no-symmetry``); ``symmetric`` names roles of
    a spec to treat as symmetric (``--symmetric ROLE``)."""
    p = Path(path)
    if not p.exists():
        raise UsageError(f"{path}: no such file")
    if p.is_dir():
        raise UsageError(f"{path}: is a directory; give a spec file (.dsl) or a Python model (.py)")
    if p.suffix == ".py":
        if symmetric:
            raise UsageError("--symmetric applies to specs (.dsl); a Python model sets its own canonicalize")
        if faults:
            raise UsageError("--faults applies to specs (.dsl); a Python model builds its own fault steps")
        model = _load_python(p, consts or {})
        if not symmetry:
            model.canonicalize = None
        return model
    from checker.compile import load_spec

    return load_spec(str(p), consts, symmetry=symmetry, symmetric=tuple(symmetric), faults=faults)


def fault_options(args: Any) -> dict[str, Any]:
    """`load_model` keyword arguments from parsed ``--faults`` options."""
    from checker.dsl.faults import parse_fault_options

    return {"faults": parse_fault_options(getattr(args, "faults", None))}


def symmetry_options(args: Any) -> dict[str, Any]:
    """`load_model` keyword arguments from parsed ``--no-symmetry`` /
    ``--symmetric ROLE`` options."""
    roles: list[str] = []
    for item in getattr(args, "symmetric", None) or []:
        roles.extend(n.strip() for n in item.split(",") if n.strip())
    return {"symmetry": not getattr(args, "no_symmetry", False), "symmetric": tuple(roles)}


def _load_python(p: Path, consts: dict[str, str]) -> Model:
    name = f"checker_user_model_{zlib.crc32(str(p.resolve()).encode()):x}"
    spec = importlib.util.spec_from_file_location(name, p)
    if spec is None or spec.loader is None:
        raise UsageError(f"{p}: cannot load as a Python module")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except Exception as exc:  # the user's module failed to import
        raise CheckerError(f"{p}: importing the model failed: {type(exc).__name__}: {exc}") from None
    build = getattr(module, "build_model", None)
    if build is None:
        raise UsageError(f"{p}: a Python model file must define build_model(**consts) -> Model")
    params = inspect.signature(build).parameters
    kwargs: dict[str, Any] = {}
    for key, text in consts.items():
        if key not in params:
            known = ", ".join(params) or "none"
            raise UsageError(f"--const {key}: {p.name}'s build_model() takes no constant '{key}' (constants: {known})")
        kwargs[key] = int(text) if text.lstrip("-").isdigit() else text
    model = build(**kwargs)
    if not isinstance(model, Model):
        raise UsageError(f"{p}: build_model() must return a checker.model.Model")
    return model
