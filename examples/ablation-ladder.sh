#!/usr/bin/env bash
# The ablation ladder of the paper on one domain: one experiment per preset (grpo, curriculum, improve, diverge, exit),
# same model, seed, tasks and budget, so that the K-step evaluation curves compare like with like. Creates and starts
# them; with WAIT=1 it waits for each to reach its budget, evaluates each (K=STEPS) and downloads the overlaid plot.
#
#   EXIT_URL=http://127.0.0.1:8080 EXIT_API_KEY=$(cat data/secrets/api-key) examples/ablation-ladder.sh
#
# Environment: EXIT_URL, EXIT_API_KEY (required); DOMAIN (countdown), MODEL (tiny, or a checkpoint directory),
# PRESETS ("grpo curriculum improve diverge exit"), SEED (1), ITERATIONS (budget in training batches, 50; empty: none),
# TRAIN_TASKS (400), TEST_TASKS (32), DIFFICULTY (1), WAIT (0), STEPS (4), SAMPLES (2), OUT_DIR (ladder-out).
# Output: one line "preset<TAB>experiment id" per preset, also written to OUT_DIR/ladder.tsv.
set -euo pipefail
: "${EXIT_URL:?set EXIT_URL, e.g. http://127.0.0.1:8080}" "${EXIT_API_KEY:?set EXIT_API_KEY}"
DOMAIN=${DOMAIN:-countdown} MODEL=${MODEL:-tiny} SEED=${SEED:-1} ITERATIONS=${ITERATIONS-50}
PRESETS=${PRESETS:-grpo curriculum improve diverge exit}
TRAIN_TASKS=${TRAIN_TASKS:-400} TEST_TASKS=${TEST_TASKS:-32} DIFFICULTY=${DIFFICULTY:-1}
WAIT=${WAIT:-0} STEPS=${STEPS:-4} SAMPLES=${SAMPLES:-2} OUT_DIR=${OUT_DIR:-ladder-out}

api() { # METHOD PATH [JSON body]
  curl -fsS -X "$1" "$EXIT_URL$2" -H "Authorization: Bearer $EXIT_API_KEY" \
    ${3:+-H 'Content-Type: application/json' -d "$3"}
}

mkdir -p "$OUT_DIR"
: > "$OUT_DIR/ladder.tsv"
for preset in $PRESETS; do
  config=$(jq -nc --arg d "$DOMAIN" --arg p "$preset" --arg m "$MODEL" --argjson s "$SEED" --arg n "$ITERATIONS" \
    '{domain: $d, preset: $p, model: $m, seed: $s} + (if $n == "" then {} else {maxIterations: ($n | tonumber)} end)')
  id=$(api POST /api/experiments "$(jq -nc --arg name "ladder-$DOMAIN-$preset" --argjson c "$config" \
    '{name: $name, config: $c}')" | jq -r .id)
  api POST "/api/experiments/$id/base-tasks/generate" "$(jq -nc --argjson s "$SEED" --argjson d "$DIFFICULTY" \
    --argjson tr "$TRAIN_TASKS" --argjson te "$TEST_TASKS" '{seed: $s, difficulty: $d, trainCount: $tr, testCount: $te}')" \
    > /dev/null
  api POST "/api/experiments/$id/start" > /dev/null
  printf '%s\t%s\n' "$preset" "$id" | tee -a "$OUT_DIR/ladder.tsv"
done

[[ $WAIT == 1 ]] || exit 0
ids=()
while IFS=$'\t' read -r preset id; do
  until [[ $(api GET "/api/experiments/$id" | jq -r .status) == COMPLETED ]]; do sleep 10; done
  eval_id=$(api POST /api/rollouts/evaluations "$(jq -nc --arg e "$id" --argjson k "$STEPS" --argjson n "$SAMPLES" \
    --arg l "$preset" '{experimentId: $e, split: "TEST", steps: $k, samples: $n, label: $l}')" | jq -r .evaluationId)
  until [[ $(api GET "/api/evaluations/$eval_id" | jq -r .evaluation.status) =~ ^(COMPLETED|FAILED)$ ]]; do sleep 5; done
  api GET "/api/evaluations/$eval_id" | jq -c --arg p "$preset" '{preset: $p, deltaK, perStep: [.perStep[].meanQuality]}'
  ids+=("$eval_id")
done < "$OUT_DIR/ladder.tsv"
curl -fsS -H "Authorization: Bearer $EXIT_API_KEY" -o "$OUT_DIR/ladder.svg" \
  "$EXIT_URL/api/evaluations/plot.svg?ids=$(IFS=,; echo "${ids[*]}")"
echo "overlaid plot: $OUT_DIR/ladder.svg"
