#!/usr/bin/env bash
# `make run` until the web app lands: the clinical core on the example assessments.
set -euo pipefail
cd "$(dirname "$0")/.."
bc=.venv/bin/backcare
for case in self_care see_doctor emergency; do
  echo "=================== backcare triage examples/$case.json --format text"
  "$bc" triage "examples/$case.json" --format text
  echo
done
echo "Try your own answers: edit a copy of examples/self_care.json and run"
echo "  .venv/bin/backcare triage my-answers.json --format text"
