#!/usr/bin/env bash
# The calibration study of issue 16, resumable: run it again after any stop and it goes on where
# it stopped (every `evonorm fidelity` call skips the trainings its results folders hold).
# Runs at nice −15 (root): on a machine shared with test runs it keeps its two cores. With the
# kernel's autogroup scheduling (sched_autogroup_enabled = 1) a process's nice only counts within
# its session, so the session's autogroup is given the same priority.
# Order: the target's first seed with the two quick proxies, the target's second seed, then the
# rest of the grid (cheapest first, one seed each).
# Usage (from a snapshot worktree, in the background):
#   nohup bash scripts/calibrate.sh runs/calibration > runs/calibration.log 2>&1 &
set -euo pipefail
out="${1:-runs/calibration}"
echo -15 > /proc/self/autogroup 2>/dev/null || true
panel=results/calibration/panel.txt
target=configs/calibration/target.json
fidelity() { nice -n -15 node --import tsx scripts/evonorm-dev.ts fidelity --target "$target" --panel "$panel" --out "$out" "$@"; }
fidelity --proxy configs/calibration/proxy-quick-fashion.json --seeds 3 --target-seeds 1 > "$out/quick-fashion.txt"
fidelity --proxy configs/quick.json --allow-other-data --seeds 3 --target-seeds 1 > "$out/quick-mnist.txt"
# The target's second seed before the rest of the grid: every proxy is then judged against both.
fidelity --proxy configs/calibration/proxy-quick-fashion.json --seeds 3 --target-seeds 2 > "$out/quick-fashion-2.txt"
fidelity --proxy configs/quick.json --allow-other-data --seeds 3 --target-seeds 2 > "$out/quick-mnist-2.txt"
fidelity --proxy configs/calibration/proxy-fashion-allimages.json --seeds 1 --target-seeds 2 > "$out/fashion-allimages.txt"
fidelity --proxy configs/calibration/proxy-fashion-600.json --seeds 1 --target-seeds 2 > "$out/fashion-600.txt"
fidelity --proxy configs/calibration/proxy-fashion-28px.json --seeds 1 --target-seeds 2 > "$out/fashion-28px.txt"
# The paper's orderings under the discovery protocol (issue 16 item 3), resumable (the trainings
# done so far are in results/calibration/study/compare-orderings: copy them to runs/compare-orderings first).
nice -n -15 node --import tsx scripts/evonorm-dev.ts compare bn-relu gn-relu evonorm-b0 evonorm-s0 \
  --config configs/calibration/proxy-fashion-allimages.json --seeds 3 --batch-sizes 64,4 --out runs/compare-orderings > runs/compare-orderings.txt
# Issue 17 item 3: discovery-1's stopped non-tanh layers under the demo protocol and the target.
nice -n -15 node --import tsx scripts/evonorm-dev.ts fidelity --target "$target" --panel results/discovery-1/stopped-panel.txt \
  --out "$out" --proxy configs/quick.json --allow-other-data --seeds 1 --target-seeds 1 > "$out/stopped-panel.txt"
