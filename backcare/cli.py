"""The ``backcare`` command: the clinical core from a terminal, JSON in and JSON (or text) out.

Clinical commands run the pure domain directly; nothing here imports Django unless a command needs
the server. Invalid input exits with code 2, prints nothing on stdout, and one line per problem on
stderr naming the field.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from typing import Any

EXIT_INVALID = 2


class Invalid(Exception):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def _read(path: str) -> bytes:
    if path == "-":
        return sys.stdin.buffer.read()
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError as exc:
        raise Invalid([f"{path}: cannot be read ({exc.strerror or exc})"]) from None


def _parse(model: Any, path: str) -> Any:
    from backcare.domain.validation import InputError, parse_json

    try:
        return parse_json(model, _read(path))
    except InputError as exc:
        raise Invalid(exc.problems) from None


def _emit(payload: Any) -> None:
    sys.stdout.write(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")


def cmd_triage(args: argparse.Namespace) -> None:
    from backcare.domain.assessment import Assessment
    from backcare.domain.serialize import triage_json
    from backcare.domain.text import triage_text
    from backcare.domain.triage import triage

    result = triage(_parse(Assessment, args.file))
    if args.format == "text":
        sys.stdout.write(triage_text(result) + "\n")
    else:
        _emit(triage_json(result))


def cmd_score(args: argparse.Namespace) -> None:
    from backcare.domain import questionnaires as q
    from backcare.domain.serialize import change_json, odi_json, startback_json

    out: dict[str, Any]
    if args.questionnaire == "startback":
        from backcare.domain.assessment import StartBackAnswers

        result = q.score_startback(_parse(StartBackAnswers, args.file))
        out = {**startback_json(result), "attribution": q.STARTBACK_ATTRIBUTION}
    elif args.questionnaire == "odi":
        odi_in = _parse(q.OdiInput, args.file)
        try:
            odi = q.score_odi(odi_in.sections)
        except q.NotScorable as exc:
            raise Invalid([str(exc)]) from None
        out = odi_json(odi)
        if odi_in.baseline_percent is not None:
            out["change"] = change_json(q.odi_change(odi_in.baseline_percent, odi.percent))
    elif args.questionnaire == "psfs":
        psfs_in = _parse(q.PsfsInput, args.file)
        score = q.score_psfs(psfs_in)
        out = {"score": score, "activities": len(psfs_in.activities)}
        if psfs_in.baseline is not None:
            out["change"] = change_json(q.psfs_change(psfs_in.baseline, score))
    else:
        nprs_in = _parse(q.NprsInput, args.file)
        out = {"score": nprs_in.score}
        if nprs_in.baseline is not None:
            out["change"] = change_json(q.nprs_change(nprs_in.baseline, nprs_in.score))
    _emit(out)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="backcare",
        description="backcare: safety triage, questionnaires and exercise plans for back spasms.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("triage", help="triage an assessment (JSON) for warning signs")
    p.add_argument("file", metavar="FILE", help="assessment JSON file, or - for standard input")
    p.add_argument("--format", choices=("json", "text"), default="json")
    p.set_defaults(func=cmd_triage)

    p = sub.add_parser("score", help="score a questionnaire (JSON)")
    p.add_argument("questionnaire", choices=("startback", "odi", "psfs", "nprs"))
    p.add_argument("file", metavar="FILE", help="answers JSON file, or - for standard input")
    p.set_defaults(func=cmd_score)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    handler: Callable[[argparse.Namespace], None] = args.func
    try:
        handler(args)
    except Invalid as exc:
        for line in exc.problems:
            sys.stderr.write(line + "\n")
        return EXIT_INVALID
    except BrokenPipeError:
        return 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
