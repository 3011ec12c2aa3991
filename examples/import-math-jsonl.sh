#!/usr/bin/env bash
# Imports a JSONL math dataset (one {"problem", "answer", "solution"?, "level"?, "subject"?} per line, e.g. MATH or
# GSM8K converted) as the base tasks of a math experiment. Any bad line rejects the whole file (HTTP 400 naming it).
#
#   EXIT_URL=http://127.0.0.1:8080 EXIT_API_KEY=... examples/import-math-jsonl.sh train.jsonl [test.jsonl]
#
# Environment: EXIT_URL, EXIT_API_KEY (required); EXPERIMENT_ID (import into this experiment instead of creating
# one), NAME (math-import), PRESET (exit), MODEL (tiny).
# Output: the experiment id on the first line, then the task counts per split as JSON.
set -euo pipefail
: "${EXIT_URL:?set EXIT_URL}" "${EXIT_API_KEY:?set EXIT_API_KEY}"
TRAIN_FILE=${1:?usage: $0 train.jsonl [test.jsonl]}
TEST_FILE=${2:-}
auth=(-H "Authorization: Bearer $EXIT_API_KEY")

if [[ -z ${EXPERIMENT_ID:-} ]]; then
  EXPERIMENT_ID=$(curl -fsS "${auth[@]}" -H 'Content-Type: application/json' -X POST "$EXIT_URL/api/experiments" \
    -d "$(jq -nc --arg n "${NAME:-math-import}" --arg p "${PRESET:-exit}" --arg m "${MODEL:-tiny}" \
      '{name: $n, config: {domain: "math", preset: $p, model: $m}}')" | jq -r .id)
fi
echo "$EXPERIMENT_ID"

import() { # FILE SPLIT
  curl -sS "${auth[@]}" -H 'Content-Type: application/x-ndjson' --data-binary "@$1" -o /tmp/import.$$ \
    -w '%{http_code}' -X POST "$EXIT_URL/api/experiments/$EXPERIMENT_ID/base-tasks/import?split=$2" > /tmp/code.$$
  if [[ $(cat /tmp/code.$$) != 2* ]]; then
    echo "import of $1 refused:" >&2
    jq . /tmp/import.$$ >&2 || cat /tmp/import.$$ >&2
    rm -f /tmp/import.$$ /tmp/code.$$
    exit 1
  fi
  rm -f /tmp/import.$$ /tmp/code.$$
}
import "$TRAIN_FILE" TRAIN
[[ -z $TEST_FILE ]] || import "$TEST_FILE" TEST
curl -fsS "${auth[@]}" "$EXIT_URL/api/experiments/$EXPERIMENT_ID/base-tasks/counts" | jq -c .
