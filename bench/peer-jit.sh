#!/usr/bin/env bash
# The JIT build of Pipeline as a harness peer (framework-dependent, ReadyToRun, bench/.publish-jit):
# the form `dotnet run` users get, measured beside the shipped NativeAOT binary (bench/peer.sh).
#   bench/peer-jit.sh URLS_FILE C [--Pipeline:Key=value ...]     bench/peer-jit.sh --build
PIPELINE_BUILD=jit exec "$(dirname "$0")/peer.sh" "$@"
