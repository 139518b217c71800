#!/usr/bin/env bash
# `make run` until the web app lands: the clinical core on the example assessments.
set -euo pipefail
cd "$(dirname "$0")/.."
bc=.venv/bin/backcare
for case in emergency see_doctor; do
  echo "=================== backcare triage examples/$case.json --format text"
  "$bc" triage "examples/$case.json" --format text
  echo
done
echo "=================== backcare plan examples/self_care.json --format text"
"$bc" plan examples/self_care.json --today 2026-11-01 --format text
echo
echo "=================== two weeks later: backcare progress (examples/check_ins.json)"
plan_file=$(mktemp)
trap 'rm -f "$plan_file"' EXIT
"$bc" plan examples/self_care.json --today 2026-11-01 > "$plan_file"
"$bc" progress "$plan_file" examples/check_ins.json --today 2026-11-14 --format text
echo
echo "Try your own answers: copy examples/self_care.json, edit it, and run"
echo "  .venv/bin/backcare plan my-answers.json --format text"
echo "The exercise catalogue: .venv/bin/backcare exercises --format text"
