# syntax=docker/dockerfile:1
# Multi-stage build of the Pipeline worker: the SDK image publishes, the ASP.NET runtime image
# runs (the worker uses Kestrel for its demo origin, so it needs the ASP.NET shared framework).
# Checked without a Docker engine by .ci/dockerfile-replay (see the README's Docker section).

# Every project file under src/ and nothing else: the restore layer below is reused until a project
# changes, and a project added later is restored without editing this file.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS projects
WORKDIR /src
COPY src/ src/
RUN find src -type f ! -name '*.csproj' -delete

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY Directory.Build.props Directory.Packages.props .editorconfig appsettings.json ./
COPY --from=projects /src/src/ src/
RUN dotnet restore src/Pipeline.Worker/Pipeline.Worker.csproj
COPY src/ src/
RUN dotnet publish src/Pipeline.Worker/Pipeline.Worker.csproj -c Release -o /app --no-restore

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app .
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
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 CMD ["dotnet", "/app/Pipeline.Worker.dll", "--health"]
ENTRYPOINT ["dotnet", "/app/Pipeline.Worker.dll"]
