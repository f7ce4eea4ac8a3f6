# One image for both roles: /app/Synapse.Gateway.Api (the default: all-in-one, or a front end
# with Synapse__Mode=client) and /app/Synapse.Silo (a headless silo; compose sets the entrypoint).
#
#   docker build -t synapse-gateway:local .
#   docker run -p 8080:8080 -v synapse-data:/data synapse-gateway:local
#
# Tags are pinned; bump them together with the SDK the repository builds with.
FROM mcr.microsoft.com/dotnet/sdk:10.0.100-noble AS build
WORKDIR /src

# Restore first, from the project files alone, so that a code change reuses this layer.
COPY Directory.Build.props Directory.Packages.props NoRoslynAtRuntime.props .editorconfig ./
COPY Grains.Interfaces/Grains.Interfaces.csproj Grains.Interfaces/
COPY Domain/Domain.csproj Domain/
COPY Grains/Grains.csproj Grains/
COPY Persistence/Persistence.csproj Persistence/
COPY Hosting/Hosting.csproj Hosting/
COPY Gateway.Api/Gateway.Api.csproj Gateway.Api/
COPY Silo/Silo.csproj Silo/
RUN dotnet restore Gateway.Api/Gateway.Api.csproj -r linux-x64 -p:PublishReadyToRun=true \
 && dotnet restore Silo/Silo.csproj -r linux-x64 -p:PublishReadyToRun=true

COPY . .
# One publish output for both executables: linux-x64 only (one native SQLite, not 22), no
# symbols, no XML docs, English resources only; ReadyToRun, which starts the gateway with about a
# quarter less CPU (docs/benchmarks.md, "Start-up") for 51 MB instead of 34.
RUN for project in Gateway.Api/Gateway.Api.csproj Silo/Silo.csproj; do \
      dotnet publish "$project" -c Release -r linux-x64 --self-contained false --no-restore -o /app \
        -p:PublishReadyToRun=true \
        -p:DebugType=none -p:DebugSymbols=false -p:GenerateDocumentationFile=false -p:SatelliteResourceLanguages=en || exit 1; \
    done \
 && mkdir -p /data /keys /checkpoints

# The runtime has no shell and no package manager; it runs as the non-root "app" user (uid 1654).
FROM mcr.microsoft.com/dotnet/aspnet:10.0.0-noble-chiseled
WORKDIR /app
COPY --from=build /app /app
# The all-in-one mode keeps its SQLite database and generated secrets in /data; a cluster's
# processes share the audit checkpoint directory /checkpoints. A new named volume copies these
# directories' owner, so the app user can write them.
COPY --from=build --chown=1654:1654 /data /data
COPY --from=build --chown=1654:1654 /keys /keys
COPY --from=build --chown=1654:1654 /checkpoints /checkpoints
# The all-in-one mode generates its audit keys in /keys, never inside the data directory.
# MALLOC_ARENA_MAX: glibc gives each contended thread its own heap (up to 8 per core), and the
# native memory freed in each stays with it; two heaps hold 25 MB less after 5 minutes under
# load for no measurable CPU (docs/benchmarks.md, "Memory that stays after load").
# A management port (Synapse__Management__Port, unset here) listens on every interface of the
# container, as the API does: outside a container a front end keeps it to localhost.
ENV Synapse__DataDirectory=/data \
    Synapse__Audit__KeyDirectory=/keys \
    ASPNETCORE_URLS=http://+:8080 \
    Synapse__Management__Address=0.0.0.0 \
    MALLOC_ARENA_MAX=2
VOLUME /data /keys
USER 1654
EXPOSE 8080 11111 30000
HEALTHCHECK --interval=10s --timeout=6s --start-period=20s --retries=5 CMD ["/app/Synapse.Gateway.Api", "health"]
ENTRYPOINT ["/app/Synapse.Gateway.Api"]
