"""The `checker` command: thin subcommands with stable exit codes.

Exit codes: 0 every property holds (every expectation met, for `check`),
1 a property is violated (an expectation missed), 2 a spec or usage error,
3 incomplete (a bound or the time limit cut the search), 4 internal error.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import traceback
from pathlib import Path
from typing import Sequence

from checker.cliargs import non_negative_int, positive_seconds
from checker.errors import CheckerError, UsageError

EXIT_OK, EXIT_VIOLATED, EXIT_ERROR, EXIT_INCOMPLETE, EXIT_INTERNAL = 0, 1, 2, 3, 4


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors with our exit code 2 and no traceback."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{self.prog}: {message}")


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="checker", description="Model checker and trace validator for distributed protocols.")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    def search_options(sp: argparse.ArgumentParser) -> None:
        sp.add_argument("--const", action="append", metavar="NAME=VALUE", help="override a constant of the spec")
        sp.add_argument("--strategy", choices=["bfs", "dfs"], default="bfs",
                        help="bfs (default) finds shortest counterexamples; dfs finds some counterexample")
        sp.add_argument("--max-depth", type=non_negative_int("--max-depth"), metavar="N", help="explore at most N steps deep")
        sp.add_argument("--max-states", type=non_negative_int("--max-states"), metavar="N", help="stop after N distinct states")
        sp.add_argument("--time-limit", type=positive_seconds("--time-limit"), metavar="SECONDS", help="stop after this many seconds")
        sp.add_argument("--no-progress", action="store_true", help="do not print progress lines on long runs")
        sp.add_argument("--faults", action="append", metavar="KIND=N,...",
                        help="override fault bounds, e.g. loss=2,crash=1 or crash:Server=1 (KIND=0 turns one off)")
        sp.add_argument("--liveness-max-states", type=non_negative_int("--liveness-max-states"), metavar="N",
                        help="give up the liveness check (exit 3) past N states in the state graph (default 1000000)")
        sp.add_argument("--no-symmetry", action="store_true",
                        help="ignore the spec's `symmetric` declarations (explore every permuted state)")
        sp.add_argument("--symmetric", action="append", metavar="ROLE",
                        help="treat ROLE's nodes as interchangeable, as if the spec declared `symmetric ROLE`")

    run = sub.add_parser("run", help="explore every reachable state and report each property's verdict")
    run.add_argument("spec", help="a spec (.dsl) or a Python model (.py with build_model())")
    search_options(run)
    run.add_argument("--out", metavar="DIR", help="write each counterexample trace (JSON) into DIR")
    run.add_argument("--json", action="store_true", help="print the result as JSON instead of text")
    run.add_argument("--open", action="store_true", help="open the counterexample's HTML chart in the default browser")

    show = sub.add_parser("show", help="re-render a saved trace (from run --out) without re-running the search")
    show.add_argument("trace", help="a .trace.json file written by `checker run --out`")
    show.add_argument("--format", default="text", choices=["text", "html", "mermaid", "itf", "dot"])
    show.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")
    show.add_argument("--open", action="store_true", help="open the HTML page in the default browser")

    check = sub.add_parser("check", help="CI gate: compare every spec's verdicts with its `expect` lines")
    check.add_argument("specs", nargs="+", help="spec files or directories (searched for *.dsl)")
    search_options(check)
    check.add_argument("--json", action="store_true", help="print the outcome as JSON")
    check.add_argument("--junit", metavar="FILE", help="write a JUnit XML report to FILE")
    from checker.prove_cmd import add_prove_parser, add_timeout_option  # quorum proofs (Z3)

    add_timeout_option(check, "--proof-timeout")
    add_prove_parser(sub)
    from checker.validate_cmd import add_validate_parser  # trace validation of implementation logs

    add_validate_parser(sub)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    try:
        parser = build_parser()
        if not args_list:
            parser.print_help()
            return EXIT_ERROR
        args = parser.parse_args(args_list)
        if args.command == "run":
            return cmd_run(args)
        if args.command == "check":
            return cmd_check(args)
        if args.command == "prove":
            from checker.prove_cmd import cmd_prove

            return cmd_prove(args)
        if args.command == "validate":
            from checker.validate_cmd import cmd_validate

            return cmd_validate(args)
        if args.command == "show":
            return cmd_show(args)
        parser.print_help()
        return EXIT_ERROR
    except CheckerError as exc:
        print(exc.format(), file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:  # output piped into e.g. `head`: not an error
        try:
            sys.stdout = open(os.devnull, "w")
        except OSError:
            pass
        return EXIT_OK
    except KeyboardInterrupt:
        print("checker: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug in the checker, not in the user's input
        if os.environ.get("CHECKER_DEBUG"):
            traceback.print_exc()
        print(f"checker: internal error: {type(exc).__name__}: {exc}\n"
              "This is a bug in the checker; set CHECKER_DEBUG=1 to see the traceback.", file=sys.stderr)
        return EXIT_INTERNAL


def _search(model, args):
    from checker.explore.progress import ProgressPrinter
    from checker.explore.search import explore

    progress = None if args.no_progress else ProgressPrinter(sys.stderr)
    return explore(model, strategy=args.strategy, max_depth=args.max_depth, max_states=args.max_states,
                   time_limit=args.time_limit, progress=progress,
                   liveness_max_states=getattr(args, "liveness_max_states", None))


def cmd_run(args) -> int:
    from checker.loader import fault_options, load_model, parse_consts, symmetry_options
    from checker.render.text import render_summary, render_trace

    model = load_model(args.spec, parse_consts(args.const), **symmetry_options(args), **fault_options(args))
    result = _search(model, args)
    out_dir = Path(args.out) if args.out else None
    if args.open and out_dir is None and result.traces:
        import tempfile

        out_dir = Path(tempfile.mkdtemp(prefix="checker-"))
    if out_dir is not None:
        written = write_traces(result, out_dir)
        if args.open:
            _open_first_html(written)
    if args.json:
        print(json.dumps(result_json(result, model), indent=1))
    else:
        print(render_summary(result, model))
        for prop, trace in result.traces.items():
            print()
            print(render_trace(trace))
    return result.exit_code


def write_traces(result, out: Path) -> list[Path]:
    """Write every counterexample as ``<property>.trace.json`` (and the
    renderings that `checker.render` provides) into ``out``."""
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"--out {out}: cannot create the directory: {exc.strerror}") from None
    written = []
    for prop, trace in result.traces.items():
        stem = _file_stem(prop)
        path = out / f"{stem}.trace.json"
        path.write_text(trace.dumps() + "\n")
        written.append(path)
        for extra in _extra_renderings(trace, out / stem):
            written.append(extra)
    return written


def _open_first_html(paths: list[Path]) -> None:
    from checker.show import open_in_browser

    pages = [p for p in paths if p.suffix == ".html"]
    if pages and not open_in_browser(pages[0]):
        print(f"checker: no browser available; open {pages[0]} yourself", file=sys.stderr)


def cmd_show(args) -> int:
    from checker.show import load_trace, render

    trace = load_trace(args.trace)
    text = render(trace, args.format)
    if args.output or args.open:
        default = Path(args.trace).with_suffix("").with_suffix(".html")
        target = Path(args.output) if args.output else default
        if args.open and args.format != "html":
            raise UsageError("--open needs --format html")
        try:
            target.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"--output {target}: cannot write: {exc.strerror}") from None
        if args.open:
            _open_first_html([target])
    else:
        sys.stdout.write(text)
    return EXIT_OK


def _extra_renderings(trace, stem: Path) -> list[Path]:
    try:
        from checker.render import write_all  # the visualisation renderers, when present
    except ImportError:
        return []
    return write_all(trace, stem)


def _file_stem(prop: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in prop) or "property"


def result_json(result, model) -> dict:
    return {
        "spec": result.model_name,
        "verdicts": result.verdicts,
        "complete": result.complete,
        "reason": result.reason,
        "stats": {"distinct": result.stats.distinct, "generated": result.stats.generated,
                  "depth": result.stats.max_depth, "seconds": round(result.stats.seconds, 3)},
        "coverage": result.coverage,
        "expectations": [
            {"property": o.expectation.prop, "expected": o.expectation.verdict, "actual": o.actual, "met": o.met}
            for o in result.compare_expectations(model.expectations)
        ],
        "traces": {prop: len(t) for prop, t in result.traces.items()},
        "exit_code": result.exit_code,
    }


def spec_files(paths: list[str]) -> list[Path]:
    """Expand directories into their *.dsl files, in a stable order."""
    files: list[Path] = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            found = sorted(path.rglob("*.dsl"))
            if not found:
                raise UsageError(f"{p}: the directory holds no .dsl spec")
            files.extend(found)
        elif path.exists():
            files.append(path)
        else:
            raise UsageError(f"{p}: no such file or directory")
    return files


def cmd_check(args) -> int:
    from checker.checkrun import check_specs

    return check_specs(spec_files(args.specs), args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
