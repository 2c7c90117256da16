# syntax=docker/dockerfile:1
# Multi-stage build of the Pipeline worker: the SDK image publishes, the ASP.NET runtime image
# runs (the worker uses Kestrel for its demo origin, so it needs the ASP.NET shared framework).

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Restore first, from the project files only, so the layer is reused until a dependency changes.
COPY Directory.Build.props Directory.Packages.props .editorconfig appsettings.json ./
COPY src/Pipeline/Pipeline.csproj src/Pipeline/
COPY src/Pipeline.DemoOrigin/Pipeline.DemoOrigin.csproj src/Pipeline.DemoOrigin/
COPY src/Pipeline.Worker/Pipeline.Worker.csproj src/Pipeline.Worker/
RUN dotnet restore src/Pipeline.Worker/Pipeline.Worker.csproj
COPY src/ src/
RUN dotnet publish src/Pipeline.Worker/Pipeline.Worker.csproj -c Release -o /app --no-restore

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app .
# Everything the service writes lives in one volume the non-root user owns.
RUN mkdir -p /data/inbox /data/outbox /data/done /data/state && chown -R "$APP_UID" /data
VOLUME ["/data"]
WORKDIR /data
USER $APP_UID
# Service mode by default: drop URL files into /data/inbox. Any setting can be overridden with
# -e Pipeline__Key=value (e.g. Pipeline__RunMode=Batch, Pipeline__Files__0=/data/urls.txt), and
# OTLP with the standard OTEL_EXPORTER_OTLP_* variables plus Pipeline__Telemetry__Exporters=Otlp.
ENV DOTNET_ENVIRONMENT=Production \
    Pipeline__RunMode=Service \
    Pipeline__Mode=Concurrent \
    Pipeline__Output=/data/results.jsonl \
    Pipeline__StateDirectory=/data/state \
    Pipeline__Service__Inbox=/data/inbox \
    Pipeline__Service__Outbox=/data/outbox \
    Pipeline__Service__Done=/data/done \
    Pipeline__Telemetry__Exporters=None \
    Pipeline__Telemetry__Report=
ENTRYPOINT ["dotnet", "/app/Pipeline.Worker.dll"]
