# syntax=docker/dockerfile:1
# Multi-stage build of the Pipeline worker: the SDK image compiles it ahead of time (NativeAOT,
# linux-x64), and the runtime-deps image runs the one native binary: no .NET runtime, no JIT.
# Checked without a Docker engine by .ci/dockerfile-replay (see the README's Docker section).

# Every project file under src/ and nothing else: the restore layer below is reused until a project
# changes, and a project added later is restored without editing this file.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS projects
WORKDIR /src
COPY src/ src/
RUN find src -type f ! -name '*.csproj' -delete

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
# The NativeAOT linker step needs clang and zlib (installed only where missing).
RUN command -v clang >/dev/null && dpkg -s zlib1g-dev >/dev/null 2>&1 \
    || (apt-get update && apt-get install -y --no-install-recommends clang zlib1g-dev)
WORKDIR /src
COPY Directory.Build.props Directory.Packages.props .editorconfig appsettings.json ./
COPY --from=projects /src/src/ src/
RUN dotnet restore src/Pipeline.Worker/Pipeline.Worker.csproj -r linux-x64
COPY src/ src/
RUN dotnet publish src/Pipeline.Worker/Pipeline.Worker.csproj -c Release -r linux-x64 -o /app --no-restore

FROM mcr.microsoft.com/dotnet/runtime-deps:10.0 AS runtime
WORKDIR /app
# The native binary, SQLite's native library beside it (results written to a .db) and its settings;
# not the debug symbols (Pipeline.Worker.dbg) nor the XML docs.
COPY --from=build /app/Pipeline.Worker /app/libe_sqlite3.so /app/appsettings.json /app/
# Everything the service writes lives in one volume the non-root user owns; the operator's
# settings are mounted at /config (read-only is fine).
RUN mkdir -p /data /config && chown -R "$APP_UID" /data
VOLUME ["/data"]
WORKDIR /data
USER $APP_UID
# Paths and the run mode only: the mode, concurrency and every other setting a user toggles live in
# the mounted /config/appsettings.json, which overrides the shipped defaults and is watched (the
# polling watcher also sees edits made through bind mounts that do not forward inotify events).
ENV DOTNET_ENVIRONMENT=Production \
    DOTNET_USE_POLLING_FILE_WATCHER=true \
    CONFIGURATION_DIRECTORY=/config \
    Pipeline__RunMode=Service \
    Pipeline__Output=/data/results.jsonl \
    Pipeline__StateDirectory=/data/state \
    Pipeline__Service__Inbox=/data/inbox \
    Pipeline__Service__Outbox=/data/outbox \
    Pipeline__Service__Done=/data/done \
    Pipeline__Service__HeartbeatFile=/data/heartbeat
# The runtime image has no curl and the service no HTTP endpoint: the binary checks the heartbeat
# file the service touches on every idle poll and every moving batch.
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 CMD ["/app/Pipeline.Worker", "--health"]
ENTRYPOINT ["/app/Pipeline.Worker"]
