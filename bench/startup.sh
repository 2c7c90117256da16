#!/usr/bin/env bash
# Start-up of the shipped NativeAOT binary beside the JIT builds (issue 20, item 3):
#   bench/startup.sh            publish what is missing, measure, write bench/results/startup.json
#                               and the start-up section of docs/benchmarks.md
#   REPS=21 URLS=20 C=4 DEMO_REPS=3 STARTUP_NOTE="text under the table" bench/startup.sh
# Builds: aot = bench/peer.sh's binary (bench/.publish); jit-r2r = PIPELINE_BUILD=jit bench/peer.sh
# (framework-dependent, ReadyToRun, what peer.sh ran before NativeAOT); jit = a plain
# framework-dependent Release publish (bench/.publish-jit-plain), the code `dotnet run` executes.
# Delete bench/.publish* after changing code. Everything runs on 127.0.0.1.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/.." && pwd)"
"$here/peer.sh" --build
PIPELINE_BUILD=jit "$here/peer.sh" --build
if [ ! -x "$here/.publish-jit-plain/Pipeline.Worker" ]; then
  dotnet publish "$repo/src/Pipeline.Worker/Pipeline.Worker.csproj" -c Release -r linux-x64 \
    -p:PublishAot=false --self-contained false -o "$here/.publish-jit-plain" >&2
fi
mkdir -p "$here/results"
out="$here/results/startup.json"
python3 "$here/startup.py" "$out" \
  aot="$here/.publish/Pipeline.Worker" jit-r2r="$here/.publish-jit/Pipeline.Worker" jit="$here/.publish-jit-plain/Pipeline.Worker" \
  --reps "${REPS:-11}" --urls "${URLS:-20}" --concurrency "${C:-4}" --demo-reps "${DEMO_REPS:-3}"

# What each form puts on disk: the AOT binary alone; a JIT publish plus the shared frameworks it needs.
shipped() { find "$1" -maxdepth 1 -type f ! -name '*.pdb' ! -name '*.xml' ! -name '*.dbg' -printf '%s\n' | awk '{s+=$1} END {print s}'; }
dotnet_root="$(dirname "$(readlink -f "$(command -v dotnet)")")"
frameworks=$(du -sb "$dotnet_root"/shared/Microsoft.NETCore.App/10.* "$dotnet_root"/shared/Microsoft.AspNetCore.App/10.* 2>/dev/null | awk '{s+=$1} END {print s}')
python3 - "$out" "$(stat -c %s "$here/.publish/Pipeline.Worker")" "$(shipped "$here/.publish-jit")" "$(shipped "$here/.publish-jit-plain")" "${frameworks:-0}" <<'PY'
import json, os, sys
path, aot, jit_r2r, jit, frameworks = sys.argv[1], *map(int, sys.argv[2:])
data = json.load(open(path))
data["sizes"] = {"aot": aot, "jit-r2r": jit_r2r, "jit": jit, "shared_frameworks": frameworks}
if os.environ.get("STARTUP_NOTE"):
    data["note"] = os.environ["STARTUP_NOTE"]
json.dump(data, open(path, "w"), indent=1)
PY
python3 "$here/write-benchmarks-md.py" --startup-section "$repo/docs/benchmarks.md" "$out"
echo "wrote $out and the start-up section of docs/benchmarks.md" >&2
