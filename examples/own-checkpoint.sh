#!/usr/bin/env bash
# Trains your own Hugging Face checkpoint: config.model is a directory with config.json, model.safetensors and
# tokenizer.json (Llama or Qwen2 family). The trainer loads it as version 0 (no warm-start unless WARM_START=true)
# and announces it; workers download it from the trainer. The directory must be readable by the trainer-service.
#
#   EXIT_URL=http://127.0.0.1:8080 EXIT_API_KEY=... examples/own-checkpoint.sh /models/qwen2.5-0.5b-instruct
#
# Environment: EXIT_URL, EXIT_API_KEY (required); DOMAIN (countdown), PRESET (exit), ITERATIONS (budget, 100; empty: none), TRAIN_TASKS
# (400), TEST_TASKS (32), WARM_START (unset: the trainer's default for checkpoints, off), TIMEOUT (600 s to wait for
# version 0).
# Output: the experiment as JSON {id, status, policyVersion, checkpointUri, model} once version 0 is announced.
set -euo pipefail
: "${EXIT_URL:?set EXIT_URL}" "${EXIT_API_KEY:?set EXIT_API_KEY}"
MODEL_DIR=$(cd "${1:?usage: $0 CHECKPOINT_DIR}" && pwd -P)
[[ -f $MODEL_DIR/config.json && -f $MODEL_DIR/tokenizer.json ]] || {
  echo "$MODEL_DIR needs config.json, model.safetensors and tokenizer.json" >&2
  exit 1
}
auth=(-H "Authorization: Bearer $EXIT_API_KEY")
post() { curl -fsS "${auth[@]}" -H 'Content-Type: application/json' -X POST "$EXIT_URL$1" ${2:+-d "$2"}; }

config=$(jq -nc --arg d "${DOMAIN:-countdown}" --arg p "${PRESET:-exit}" --arg m "$MODEL_DIR" \
  --arg n "${ITERATIONS-100}" --arg w "${WARM_START:-}" \
  '{domain: $d, preset: $p, model: $m} + (if $n == "" then {} else {maxIterations: ($n | tonumber)} end)
   + (if $w == "" then {} else {warmStart: ($w == "true")} end)')
id=$(post /api/experiments "$(jq -nc --arg n "own-$(basename "$MODEL_DIR")" --argjson c "$config" \
  '{name: $n, config: $c}')" | jq -r .id)
post "/api/experiments/$id/base-tasks/generate" "$(jq -nc --argjson tr "${TRAIN_TASKS:-400}" \
  --argjson te "${TEST_TASKS:-32}" '{seed: 1, difficulty: 1, trainCount: $tr, testCount: $te}')" > /dev/null
post "/api/experiments/$id/start" > /dev/null

deadline=$((SECONDS + ${TIMEOUT:-600}))
until view=$(curl -fsS "${auth[@]}" "$EXIT_URL/api/experiments/$id") && [[ $(jq -r .checkpointUri <<< "$view") != null ]]; do
  if ((SECONDS > deadline)); then
    echo "no version 0 after ${TIMEOUT:-600} s; see the trainer-service log" >&2
    exit 1
  fi
  sleep 2
done
jq -c '{id, status, policyVersion, checkpointUri, model: .config.model}' <<< "$view"
