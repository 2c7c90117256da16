#!/usr/bin/env bash
# "Bare .NET" as a peer of the shared benchmark harness (../shared/bench, see its README):
#   bench/bare-dotnet.sh URLS_FILE C
# The ~60-line program of issue 6 (bench/bare-dotnet/Program.cs): one HttpClient, one bounded
# channel, C reader loops, no results file, no tracing. Publishes a Release build once (into
# bench/.publish-bare; delete it after editing the program), then execs it; the last stdout line
# is the harness's JSON record.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
bin="$here/.publish-bare/BareDotnet"
if [ ! -x "$bin" ]; then
  dotnet publish "$here/bare-dotnet/BareDotnet.csproj" -c Release -o "$here/.publish-bare" >&2
fi
[ "${1:-}" = "--build" ] && exit 0
exec "$bin" "$@"
