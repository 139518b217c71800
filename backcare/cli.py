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
from datetime import date, datetime
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
        sys.stdout.write(triage_text(result, _region(args.region)) + "\n")
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


def _today(raw: str | None) -> date:
    if raw is None:
        return datetime.now().astimezone().date()
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise Invalid([f"--today: must be a date as YYYY-MM-DD, not {raw!r}"]) from None


def _region(raw: str | None) -> Any:
    """The region whose numbers text output shows: --region, else $BACKCARE_REGION, else none
    (then every region's emergency number is listed)."""
    import os

    from backcare.domain.regions import codes, region

    code = raw or os.environ.get("BACKCARE_REGION") or None
    if code is None:
        return None
    try:
        return region(code)
    except KeyError:
        where = "--region" if raw else "BACKCARE_REGION"
        raise Invalid([f"{where}: must be one of {', '.join(codes())}, not {code!r}"]) from None


def cmd_plan(args: argparse.Namespace) -> None:
    from backcare.domain.assessment import Assessment
    from backcare.domain.plan import plan
    from backcare.domain.serialize_plan import plan_json
    from backcare.domain.text import plan_text

    today = _today(args.today)
    result = plan(_parse(Assessment, args.file), today=today)
    if args.format == "text":
        sys.stdout.write(plan_text(result, _region(args.region)) + "\n")
    else:
        _emit(plan_json(result))


def cmd_progress(args: argparse.Namespace) -> None:
    from backcare.domain.checkin import CheckIns
    from backcare.domain.progress import progress
    from backcare.domain.serialize_plan import PlanFile, progression_json
    from backcare.domain.text import progression_text
    from backcare.domain.validation import InputError

    today = _today(args.today)
    state = _parse(PlanFile, args.plan).state
    check_ins = _parse(CheckIns, args.checkins).check_ins
    try:
        result = progress(state, check_ins, today=today)
    except InputError as exc:
        raise Invalid(exc.problems) from None
    if args.format == "text":
        sys.stdout.write(progression_text(result, _region(args.region)) + "\n")
    else:
        _emit(progression_json(result))


def cmd_exercises(args: argparse.Namespace) -> None:
    from backcare.domain import catalogue
    from backcare.domain.serialize_plan import exercise_json, exercise_summary_json

    known = catalogue.exercises()
    if args.id is None:
        if args.format == "text":
            for e in known.values():
                phases = ",".join(str(p) for p in e.phases)
                sys.stdout.write(f"{e.id:<26} {e.category:<13} phases {phases:<8} {e.name}\n")
        else:
            _emit([exercise_summary_json(e) for e in known.values()])
        return
    if args.id not in known:
        raise Invalid([f"{args.id}: unknown exercise; run `backcare exercises` for the list"])
    if args.svg is not None:
        _write_figure(args.id, args.svg, args.frame)
        return
    out = exercise_json(known[args.id])
    if args.format == "text":
        lines = [out["name"], "", out["purpose"], "", f"Start: {out['start_position']}"]
        lines += [f"{n}. {step}" for n, step in enumerate(out["steps"], 1)]
        lines += ["", f"Dose: {out['dose']['text']}", "Stop if:"]
        lines += [f"- {rule}" for rule in out["stop_rules"]]
        lines += [f"Caution: {c}" for c in out["cautions"]]
        lines += [f"Source: {out['source']}"]
        sys.stdout.write("\n".join(lines) + "\n")
    else:
        _emit(out)


def _write_figure(exercise_id: str, path: str, frame: int | None) -> None:
    from backcare.domain import catalogue
    from backcare.domain.figures.poses import pose_sets
    from backcare.domain.figures.render import animated_svg, static_svg

    pose = pose_sets().get(exercise_id)
    if pose is None:
        raise Invalid([f"{exercise_id}: has no figure yet"])
    name = catalogue.exercises()[exercise_id].name
    if frame is None:
        svg = animated_svg(
            pose, name, hold_seconds=catalogue.exercises()[exercise_id].dose.hold_seconds
        )
    elif 0 <= frame < len(pose.frames):
        svg = static_svg(pose, frame, f"{name}: {pose.frames[frame].label}")
    else:
        raise Invalid([f"--frame: must be an integer from 0 to {len(pose.frames) - 1}"])
    try:
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(svg)
    except OSError as exc:
        raise Invalid([f"{path}: cannot be written ({exc.strerror or exc})"]) from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="backcare",
        description="backcare: safety triage, questionnaires and exercise plans for back spasms.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("triage", help="triage an assessment (JSON) for warning signs")
    p.add_argument("file", metavar="FILE", help="assessment JSON file, or - for standard input")
    p.add_argument("--format", choices=("json", "text"), default="json")
    p.add_argument(
        "--region",
        metavar="CODE",
        help="with text output: show this region's numbers (AU, GB, US...)",
    )
    p.set_defaults(func=cmd_triage)

    p = sub.add_parser("score", help="score a questionnaire (JSON)")
    p.add_argument("questionnaire", choices=("startback", "odi", "psfs", "nprs"))
    p.add_argument("file", metavar="FILE", help="answers JSON file, or - for standard input")
    p.set_defaults(func=cmd_score)

    p = sub.add_parser("plan", help="build a care plan from an assessment (JSON)")
    p.add_argument("file", metavar="FILE", help="assessment JSON file, or - for standard input")
    p.add_argument("--today", metavar="YYYY-MM-DD", help="the plan's start date (default: today)")
    p.add_argument("--format", choices=("json", "text"), default="json")
    p.add_argument(
        "--region",
        metavar="CODE",
        help="with text output: show this region's numbers (AU, GB, US...)",
    )
    p.set_defaults(func=cmd_plan)

    p = sub.add_parser("progress", help="carry a plan forward through daily check-ins")
    p.add_argument("plan", metavar="PLAN", help="output of `backcare plan` (or of progress)")
    p.add_argument("checkins", metavar="CHECKINS", help='{"check_ins": [...]} JSON, or -')
    p.add_argument("--today", metavar="YYYY-MM-DD", help="evaluate as of this date")
    p.add_argument("--format", choices=("json", "text"), default="json")
    p.add_argument(
        "--region",
        metavar="CODE",
        help="with text output: show this region's numbers (AU, GB, US...)",
    )
    p.set_defaults(func=cmd_progress)

    p = sub.add_parser("exercises", help="the exercise catalogue, or one exercise in full")
    p.add_argument("id", metavar="ID", nargs="?", help="an exercise id, e.g. bird_dog")
    p.add_argument("--svg", metavar="FILE", help="write the exercise's figure (animated SVG)")
    p.add_argument("--frame", type=int, metavar="N", help="with --svg: one still frame instead")
    p.add_argument("--format", choices=("json", "text"), default="json")
    p.set_defaults(func=cmd_exercises)
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
