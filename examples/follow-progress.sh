#!/usr/bin/env bash
# Follows an experiment's training: one line per poll from GET /api/experiments/{id}/progress (iteration, policy
# version, buffer, mean reward and quality by step kind, tokens/s, ETA) until it is COMPLETED or FAILED.
#
#   EXIT_URL=http://127.0.0.1:8080 EXIT_API_KEY=... examples/follow-progress.sh EXPERIMENT_ID
#
# Environment: EXIT_URL, EXIT_API_KEY (required); INTERVAL (seconds between polls, 5), MAX_POLLS (0 = until done).
# Output: one JSON object per poll (jq -c), so that the output can itself be piped into jq or saved as JSON lines.
set -euo pipefail
: "${EXIT_URL:?set EXIT_URL}" "${EXIT_API_KEY:?set EXIT_API_KEY}"
EXPERIMENT_ID=${1:?usage: $0 EXPERIMENT_ID}
INTERVAL=${INTERVAL:-5} MAX_POLLS=${MAX_POLLS:-0}

polls=0
while true; do
  progress=$(curl -fsS -H "Authorization: Bearer $EXIT_API_KEY" "$EXIT_URL/api/experiments/$EXPERIMENT_ID/progress")
  jq -c '{status, iteration, policyVersion, bufferSize, meanRewardByStepKind, meanQualityByStepKind,
    rolloutTokensPerSecond, trainTokensPerSecond, fractionDone, etaSeconds}' <<< "$progress"
  polls=$((polls + 1))
  [[ $(jq -r .status <<< "$progress") =~ ^(COMPLETED|FAILED)$ ]] && break
  ((MAX_POLLS > 0 && polls >= MAX_POLLS)) && break
  sleep "$INTERVAL"
done
