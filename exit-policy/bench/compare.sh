#!/usr/bin/env bash
# Before/after table of the exit-policy benchmarks, both measured in one sitting on this machine (only ratios
# compare across machines). Builds exit-policy's CLI jar at two revisions in temporary worktrees, runs the same
# bench / bench-train commands with each, alternating, and prints a Markdown table.
#
# Usage: exit-policy/bench/compare.sh BEFORE_REV [AFTER_REV]        (AFTER_REV defaults to the working tree)
# Environment: DEVICE (cpu), DTYPE (fp32), CASES (the bench cases below, one per line), MVN_FLAGS (e.g. -o),
#              REPEAT (runs per case and jar; the best run counts, 1)
set -euo pipefail
root=$(git rev-parse --show-toplevel)
before=${1:?usage: compare.sh BEFORE_REV [AFTER_REV]}
after=${2:-}
device=${DEVICE:-cpu}
dtype=${DTYPE:-fp32}
repeat=${REPEAT:-1}
bench="$root/exit-policy/bench"
command -v jq >/dev/null || { echo "compare.sh needs jq" >&2; exit 1; }

work=$(mktemp -d /tmp/exit-bench.XXXXXX)
cleanup() {
  for d in "$work"/tree-*; do [ -d "$d" ] && git -C "$root" worktree remove --force "$d" >/dev/null 2>&1 || true; done
  rm -rf "$work"
}
trap cleanup EXIT

build() { # rev name -> $work/name.jar
  local rev=$1 name=$2 dir
  if [ -z "$rev" ]; then
    dir=$root
  else
    dir="$work/tree-$name"
    git -C "$root" worktree add --detach -q "$dir" "$rev"
  fi
  echo "building $name (${rev:-working tree})" >&2
  (cd "$dir" && ./mvnw -B -q ${MVN_FLAGS:-} -pl exit-policy -am package -DskipTests >&2)
  cp "$dir/exit-policy/target/exit-policy.jar" "$work/$name.jar"
}
build "$before" before
build "$after" after

# One case per line: the CLI command and its arguments (configs from this tree, so both jars run the same shape).
cases=${CASES:-"bench --config $bench/tiny-config.json --batch 1 --prompt-len 64 --new-tokens 64
bench --config $bench/tiny-config.json --batch 64 --prompt-len 64 --new-tokens 64
bench --config $bench/small-config.json --batch 1 --prompt-len 64 --new-tokens 64
bench --config $bench/small-config.json --batch 64 --prompt-len 64 --new-tokens 32
bench-train --config $bench/tiny-config.json --batch 8 --seq-len 128
bench-train --config $bench/small-config.json --batch 8 --seq-len 128"}

run() { # jar args... -> best JSON of $repeat runs (highest tokens_per_s)
  local jar=$1; shift
  local best="" tps=-1 out t
  for _ in $(seq "$repeat"); do
    out=$(java -jar "$jar" "$@" --device "$device" 2>/dev/null | tail -1)
    t=$(jq -r '.tokens_per_s // -1' <<<"$out")
    if awk -v a="$t" -v b="$tps" 'BEGIN { exit !(a > b) }'; then best=$out; tps=$t; fi
  done
  echo "$best"
}
field() { jq -r "(.$2 // \"-\") | if type == \"number\" then (. * 100 | round / 100) else . end" <<<"$1"; }

echo
echo "| case | tokens/s before | tokens/s after | after/before | ms/step before | ms/step after | ops/step before | ops/step after | memory MB before | memory MB after | budget MB |"
echo "|---|---|---|---|---|---|---|---|---|---|---|"
while IFS= read -r line; do
  [ -z "$line" ] && continue
  # shellcheck disable=SC2086
  set -- $line
  extra=()
  [ "$1" = bench ] && extra=(--dtype "$dtype")
  b=$(run "$work/before.jar" "$@" "${extra[@]}")
  a=$(run "$work/after.jar" "$@" "${extra[@]}")
  label=$(sed -e "s|$bench/||g" -e 's/--config //' <<<"$line")
  ratio=$(jq -n --argjson a "$(field "$a" tokens_per_s)" --argjson b "$(field "$b" tokens_per_s)" \
    'if $b > 0 then ($a / $b * 100 | round / 100) else "-" end' 2>/dev/null || echo -)
  step_b=$(field "$b" ms_per_decode_step); step_a=$(field "$a" ms_per_decode_step)
  [ "$1" = bench-train ] && { step_b=$(jq -r '(.s_per_step * 1000 * 100 | round / 100)' <<<"$b"); step_a=$(jq -r '(.s_per_step * 1000 * 100 | round / 100)' <<<"$a"); }
  echo "| $label | $(field "$b" tokens_per_s) | $(field "$a" tokens_per_s) | ${ratio}x | $step_b | $step_a | $(field "$b" ops_per_decode_step) | $(field "$a" ops_per_decode_step) | $(field "$b" memory_used_mb) | $(field "$a" memory_used_mb) | $(field "$a" budget_mb) |"
done <<<"$cases"
echo
echo "device $device, dtype $dtype (bench only), $(nproc) cores; bench-train rows: ms/step is per optimizer step"
