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
# Results (and later pending/checkpoint files) go to a volume the non-root user can write.
RUN mkdir -p /data && chown "$APP_UID" /data
VOLUME ["/data"]
WORKDIR /data
USER $APP_UID
ENV DOTNET_ENVIRONMENT=Production \
    Pipeline__Output=/data/results.jsonl
ENTRYPOINT ["dotnet", "/app/Pipeline.Worker.dll"]
