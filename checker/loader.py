"""Load a model from a spec file (.dsl) or a Python model file (.py), and
the recipe that rebuilds it in another process.

A `ModelRecipe` is what travels to a worker process or a Ray actor, and
what a checkpoint records: the source text of the spec or Python model
(so a worker on another machine needs no copy of the file) and the
`LoadOptions`. `load_model` attaches one to every model it builds
(`Model.recipe`); `FactoryRecipe` does the same for a model built by a
module-level function (tests, benchmarks).
"""

from __future__ import annotations

import importlib
import inspect
import sys
import types
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping

from checker.errors import CheckerError, UsageError
from checker.model import Model
from checker.options import LoadOptions, Option, OptionError
from checker.textio import read_text


@dataclass(frozen=True)
class ModelRecipe:
    """A model as the source text of its spec (.dsl) or Python model (.py)
    plus the options it was loaded with; ``build()`` makes it again."""

    path: str
    text: str
    options: LoadOptions = field(default_factory=LoadOptions)

    def build(self) -> Model:
        p = Path(self.path)
        if p.suffix == ".py":
            model = _build_python(p, self.text, self.options)
        else:
            from checker.compile import load_text

            model = load_text(self.text, self.path, self.options)
        model.recipe = self
        return model


@dataclass(frozen=True)
class FactoryRecipe:
    """A model built by calling ``module.function(**kwargs)`` (a function
    importable in every worker)."""

    module: str
    function: str
    kwargs: tuple[tuple[str, Any], ...] = ()

    @staticmethod
    def of(function: Callable[..., Model], **kwargs: Any) -> FactoryRecipe:
        return FactoryRecipe(function.__module__, function.__qualname__, tuple(sorted(kwargs.items())))

    def build(self) -> Model:
        target: Any = importlib.import_module(self.module)
        for part in self.function.split("."):
            target = getattr(target, part)
        model = target(**dict(self.kwargs))
        model.recipe = self
        return model


def load_model(path: str, options: LoadOptions | None = None) -> Model:
    """A spec (.dsl) is parsed, resolved and compiled; a Python file must
    define ``build_model(**consts) -> Model``. ``options``: constant
    overrides, fault bounds and symmetry (`checker.options.LoadOptions`).
    The model carries its `ModelRecipe`."""
    options = options or LoadOptions()
    p = Path(path)
    if not p.exists():
        raise UsageError(f"{path}: no such file")
    if p.is_dir():
        raise UsageError(f"{path}: is a directory; give a spec file (.dsl) or a Python model (.py)")
    try:
        text = read_text(p)
    except OSError as exc:
        raise UsageError(f"{path}: cannot read: {exc.strerror}") from None
    return ModelRecipe(str(p), text, options).build()


def _build_python(p: Path, text: str, options: LoadOptions) -> Model:
    if options.symmetric:
        raise OptionError(Option.SYMMETRIC, ",".join(options.symmetric),
                          "applies to specs (.dsl); a Python model sets its own canonicalize")
    if options.faults:
        raise OptionError(Option.FAULTS, "", "applies to specs (.dsl); a Python model builds its own fault steps")
    model = _load_python(p, text, options.consts)
    if not options.symmetry:
        model.canonicalize = None
    return model


def _load_python(p: Path, text: str, consts: Mapping[str, str]) -> Model:
    from checker.dsl.resolve import int_override

    name = f"checker_user_model_{zlib.crc32(str(p.resolve()).encode()):x}"
    module = types.ModuleType(name)
    module.__file__ = str(p)
    sys.modules[name] = module
    try:
        exec(compile(text, str(p), "exec"), module.__dict__)  # noqa: S102 - the user's own model file
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
        number = int_override(key, text)
        kwargs[key] = text if number is None else number
    model = build(**kwargs)
    if not isinstance(model, Model):
        raise UsageError(f"{p}: build_model() must return a checker.model.Model")
    return model
