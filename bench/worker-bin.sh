#!/usr/bin/env bash
# Prints the path of a published worker binary for the broker benchmarks (bench/scaleout.sh,
# bench/collector-memory.sh), publishing it first if needed (build output goes to stderr):
#   bench/worker-bin.sh aot   the shipped NativeAOT binary, bench/.publish (what bench/peer.sh runs)
#   bench/worker-bin.sh jit   the framework-dependent ReadyToRun JIT build, bench/.publish-scaleout
# Delete the folder after changing code.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
case "${1:-aot}" in
  aot)
    "$here/peer.sh" --build
    echo "$here/.publish/Pipeline.Worker"
    ;;
  jit)
    if [ ! -x "$here/.publish-scaleout/Pipeline.Worker" ]; then
      dotnet publish "$here/../src/Pipeline.Worker/Pipeline.Worker.csproj" -c Release -r linux-x64 \
        -p:PublishAot=false --self-contained false -p:PublishReadyToRun=true -o "$here/.publish-scaleout" >&2
    fi
    echo "$here/.publish-scaleout/Pipeline.Worker"
    ;;
  *) echo "the build must be aot or jit" >&2; exit 2 ;;
esac
