#!/usr/bin/env bash
# Runs a K-step self-improvement evaluation of an experiment's newest policy version on its held-out tasks (step 0
# answers, step k revises step k-1), waits for it, and downloads the raw results (CSV) and the plot (PNG).
#
#   EXIT_URL=http://127.0.0.1:8080 EXIT_API_KEY=... examples/evaluate.sh EXPERIMENT_ID
#
# Environment: EXIT_URL, EXIT_API_KEY (required); STEPS (K, 4), SAMPLES (n of avg@n, 2), LIMIT (held-out tasks, all
# when unset), SPLIT (TEST), LABEL (eval), OUT_DIR (eval-out), TIMEOUT (1800 s).
# Output: the summary as JSON {evaluationId, policyVersion, deltaK, netCorrections, perStep}; files
# OUT_DIR/<evaluationId>.csv and OUT_DIR/<evaluationId>.png.
set -euo pipefail
: "${EXIT_URL:?set EXIT_URL}" "${EXIT_API_KEY:?set EXIT_API_KEY}"
EXPERIMENT_ID=${1:?usage: $0 EXPERIMENT_ID}
OUT_DIR=${OUT_DIR:-eval-out}
auth=(-H "Authorization: Bearer $EXIT_API_KEY")

request=$(jq -nc --arg e "$EXPERIMENT_ID" --argjson k "${STEPS:-4}" --argjson n "${SAMPLES:-2}" \
  --arg s "${SPLIT:-TEST}" --arg l "${LABEL:-eval}" --arg limit "${LIMIT:-}" \
  '{experimentId: $e, split: $s, steps: $k, samples: $n, label: $l} + (if $limit == "" then {} else {limit: ($limit | tonumber)} end)')
eval_id=$(curl -fsS "${auth[@]}" -H 'Content-Type: application/json' -X POST "$EXIT_URL/api/rollouts/evaluations" \
  -d "$request" | jq -r .evaluationId)

deadline=$((SECONDS + ${TIMEOUT:-1800}))
while status=$(curl -fsS "${auth[@]}" "$EXIT_URL/api/evaluations/$eval_id" | jq -r .evaluation.status); do
  case $status in
    COMPLETED) break ;;
    FAILED) echo "evaluation $eval_id failed; see the rollout-service log" >&2; exit 1 ;;
  esac
  if ((SECONDS > deadline)); then echo "evaluation $eval_id still $status" >&2; exit 1; fi
  sleep 3
done

mkdir -p "$OUT_DIR"
curl -fsS "${auth[@]}" -o "$OUT_DIR/$eval_id.csv" "$EXIT_URL/api/evaluations/$eval_id/results.csv"
curl -fsS "${auth[@]}" -o "$OUT_DIR/$eval_id.png" "$EXIT_URL/api/evaluations/$eval_id/plot.png"
curl -fsS "${auth[@]}" "$EXIT_URL/api/evaluations/$eval_id" | jq -c '{evaluationId: .evaluation.id,
  policyVersion: .evaluation.policyVersion, deltaK, netCorrections, perStep: [.perStep[] | {step, n, meanQuality, accuracy}]}'
