"""Load a model from a spec file (.dsl) or a Python model file (.py)."""

from __future__ import annotations

import importlib.util
import inspect
import sys
import zlib
from pathlib import Path
from typing import Any, Mapping

from checker.errors import CheckerError, UsageError
from checker.model import Model
from checker.options import LoadOptions, Option, OptionError


def load_model(path: str, options: LoadOptions | None = None) -> Model:
    """A spec (.dsl) is parsed, resolved and compiled; a Python file must
    define ``build_model(**consts) -> Model``. ``options``: constant
    overrides, fault bounds and symmetry (`checker.options.LoadOptions`)."""
    options = options or LoadOptions()
    p = Path(path)
    if not p.exists():
        raise UsageError(f"{path}: no such file")
    if p.is_dir():
        raise UsageError(f"{path}: is a directory; give a spec file (.dsl) or a Python model (.py)")
    if p.suffix == ".py":
        if options.symmetric:
            raise OptionError(Option.SYMMETRIC, ",".join(options.symmetric),
                              "applies to specs (.dsl); a Python model sets its own canonicalize")
        if options.faults:
            raise OptionError(Option.FAULTS, "", "applies to specs (.dsl); a Python model builds its own fault steps")
        model = _load_python(p, options.consts)
        if not options.symmetry:
            model.canonicalize = None
        return model
    from checker.compile import load_spec

    return load_spec(str(p), options)


def _load_python(p: Path, consts: Mapping[str, str]) -> Model:
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
            raise OptionError(Option.CONSTS, key,
                              f"{p.name}'s build_model() takes no constant '{key}' (constants: {known})")
        kwargs[key] = int(text) if text.lstrip("-").isdigit() else text
    model = build(**kwargs)
    if not isinstance(model, Model):
        raise UsageError(f"{p}: build_model() must return a checker.model.Model")
    return model
