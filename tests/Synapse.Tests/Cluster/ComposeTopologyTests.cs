using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Npgsql;
using Synapse.Tests.Infrastructure;
using YamlDotNet.Serialization;

namespace Synapse.Tests.Cluster;

/// <summary>
/// The shipped <c>docker-compose.yml</c>, as <c>docker-compose config</c> resolves it with a
/// <c>.env</c> made by <c>deploy/generate-env.sh</c>, checked for what a first <c>docker compose
/// up</c> needs (shared secrets, healthchecks that run the app's own health command, the gateway
/// waiting for healthy silos, a stop grace period above the drain and, on the front end, the drain
/// delay before it, one checkpoint volume for every process) and then started as processes with
/// the very environment it resolves to: its silos
/// (as many as its replicas) and its front end, checked healthy through that health command and
/// serving a request. Only what a machine without Docker cannot reproduce is replaced: the
/// database host, the ports, the advertised address, volume paths and the model server's address.
/// A change to the compose file that breaks the cluster fails here.
/// </summary>
[Trait("Category", "Slow")]
[Collection(PostgresCollection.Name)]
public sealed class ComposeTopologyTests(PostgresServer postgres) : ClusterTest(postgres)
{
    private readonly PostgresServer _postgres = postgres;

    [Fact]
    public async Task TheComposeFile_AsResolvedFromAGeneratedEnv_StartsAsACluster_ThatIsHealthyAndServes()
    {
        var root = RepositoryFiles.Root;
        var work = Directory.CreateTempSubdirectory("synapse-compose-").FullName;
        var env = await RunAsync("/bin/sh", root, Path.Combine(root, "deploy", "generate-env.sh"));
        await File.WriteAllTextAsync(Path.Combine(work, ".env"), env);
        var secrets = env.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
        var resolved = await RunAsync("docker-compose", root, "-f", Path.Combine(root, "docker-compose.yml"), "--project-directory", root, "--env-file", Path.Combine(work, ".env"), "config");
        var services = Map(Map(new DeserializerBuilder().Build().Deserialize<object>(resolved))["services"]);
        var silo = Map(services["silo"]);
        var gateway = Map(services["gateway"]);
        var siloEnv = Environment(silo);
        var gatewayEnv = Environment(gateway);

        // What a first `docker compose up` needs.
        foreach (var (name, service) in services.Select(s => ((string)s.Key, Map(s.Value))))
        {
            Assert.True(name == "ollama-pull" || service.ContainsKey("healthcheck"), $"{name} has no healthcheck");
        }

        foreach (var (service, composed) in new[] { (silo, siloEnv), (gateway, gatewayEnv) })
        {
            var entrypoint = List(service["entrypoint"]);
            Assert.Equal(["CMD", entrypoint[0], "health"], List(Map(service["healthcheck"])["test"]));
            var drainDelay = composed.TryGetValue("Synapse__Shutdown__DrainDelaySeconds", out var delay) ? int.Parse(delay, CultureInfo.InvariantCulture) : 0;
            Assert.True(Seconds((string)service["stop_grace_period"]) > drainDelay + int.Parse(composed["Synapse__Shutdown__GracePeriodSeconds"], CultureInfo.InvariantCulture), "stop_grace_period must be above the drain delay and the drain");
            Assert.Equal(secrets["SYNAPSE_AUDIT_HASH_KEY"], composed["Synapse__Audit__HashKey"]);
            Assert.Equal(secrets["SYNAPSE_AUDIT_SIGNING_KEY"], composed["Synapse__Audit__SigningKey"]);
            Assert.Contains(List(service["volumes"]), v => v == "checkpoints:" + composed["Synapse__Audit__CheckpointDirectory"] + ":rw");
        }

        // The observability profile: Grafana never with its default admin/admin sign-in, no sign-up
        // nor anonymous access; it and Prometheus (no sign-in at all) on this host's loopback only.
        var grafanaEnv = Environment(Map(services["grafana"]));
        Assert.Equal(secrets["GRAFANA_ADMIN_PASSWORD"], grafanaEnv["GF_SECURITY_ADMIN_PASSWORD"]);
        Assert.Equal(("false", "false"), (grafanaEnv["GF_USERS_ALLOW_SIGN_UP"], grafanaEnv["GF_AUTH_ANONYMOUS_ENABLED"]));
        foreach (var name in new[] { "grafana", "prometheus" })
        {
            Assert.All(List(Map(services[name])["ports"]), port => Assert.StartsWith("127.0.0.1:", port, StringComparison.Ordinal));
        }

        Assert.Equal(["/app/Synapse.Silo"], List(silo["entrypoint"]));
        Assert.Equal(["/app/Synapse.Gateway.Api"], List(gateway["entrypoint"]));
        Assert.Equal("service_healthy", Map(Map(gateway["depends_on"])["silo"])["condition"]);
        Assert.Equal("service_healthy", Map(Map(Map(services["ollama-pull"])["depends_on"])["ollama"])["condition"]);
        Assert.Equal(secrets["SYNAPSE_ADMIN_TOKEN"], gatewayEnv["Synapse__Admin__Token"]);
        Assert.Equal("client", gatewayEnv["Synapse__Mode"]);
        Assert.True(int.Parse(gatewayEnv["Synapse__Shutdown__DrainDelaySeconds"], CultureInfo.InvariantCulture) > 0, "the front end keeps serving a moment after SIGTERM, for a load balancer to see it draining");
        var database = new NpgsqlConnectionStringBuilder(siloEnv["ConnectionStrings__Postgres"]);
        var postgresService = Map(services["postgres"]);
        var postgresEnv = Environment(postgresService);
        Assert.Equal(siloEnv["ConnectionStrings__Postgres"], gatewayEnv["ConnectionStrings__Postgres"]);

        // The application connects with its own login, made by the init script, not as the
        // superuser, whose password only the postgres service gets.
        Assert.Equal(("postgres", postgresEnv["SYNAPSE_DB"], postgresEnv["SYNAPSE_DB_USER"], secrets["SYNAPSE_DB_PASSWORD"]), (database.Host, database.Database, database.Username, database.Password));
        Assert.NotEqual(postgresEnv["POSTGRES_USER"], database.Username);
        Assert.NotEqual(secrets["POSTGRES_PASSWORD"], database.Password);
        Assert.Equal(secrets["POSTGRES_PASSWORD"], postgresEnv["POSTGRES_PASSWORD"]);
        Assert.DoesNotContain(services.Where(s => (string)s.Key != "postgres").Select(s => Map(s.Value)), s => s.ContainsKey("environment") && Environment(s).Values.Any(v => v.Contains(secrets["POSTGRES_PASSWORD"], StringComparison.Ordinal)));
        var initScript = List(postgresService["volumes"]).Select(v => v.Split(':')).Single(v => v[1].StartsWith("/docker-entrypoint-initdb.d/", StringComparison.Ordinal))[0];

        // The same topology as processes: the compose environment, with the host-bound values
        // replaced. The init script runs as the image would run it, as the server's superuser;
        // the login and database get names of their own, as the test server is shared.
        var checkpoints = Path.Combine(work, "checkpoints");
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var login = new NpgsqlConnectionStringBuilder(database.ConnectionString)
        {
            Host = "127.0.0.1",
            Port = _postgres.Port,
            Database = database.Database + "_" + suffix,
            Username = database.Username + "_" + suffix,
        };
        await CommandLine.RunAsync("/bin/sh", root, new Dictionary<string, string?>
        {
            ["PGHOST"] = login.Host,
            ["PGPORT"] = login.Port.ToString(CultureInfo.InvariantCulture),
            ["POSTGRES_USER"] = "postgres",
            ["SYNAPSE_DB"] = login.Database,
            ["SYNAPSE_DB_USER"] = login.Username,
            ["SYNAPSE_DB_PASSWORD"] = login.Password!,
        }, initScript);
        var connectionString = login.ConnectionString;
        Dictionary<string, string?> Local(Dictionary<string, string> composed)
        {
            var settings = composed.ToDictionary(e => e.Key == "ASPNETCORE_URLS" ? "urls" : e.Key.Replace("__", ":", StringComparison.Ordinal), e => (string?)e.Value, StringComparer.OrdinalIgnoreCase);
            settings["ConnectionStrings:Postgres"] = connectionString;
            settings["Synapse:Audit:CheckpointDirectory"] = checkpoints;
            settings["Synapse:Orleans:AdvertisedAddress"] = "127.0.0.1";
            settings["Synapse:Orleans:ClusterId"] = Settings["Synapse:Orleans:ClusterId"];
            settings["Synapse:Providers:ollama:BaseUrl"] = Upstream.BaseUrl.ToString();
            settings["Synapse:Management:Port"] = FreePort.Next().ToString(CultureInfo.InvariantCulture);
            settings["Logging:LogLevel:Default"] = "Warning";
            settings["Logging:LogLevel:Synapse.Hosting.StartupSummary"] = "Information";
            return settings;
        }

        var replicas = Convert.ToInt32(Map(silo["deploy"])["replicas"], CultureInfo.InvariantCulture);
        var silos = await Task.WhenAll(Enumerable.Range(0, replicas).Select(_ => SiloProcess.StartAsync(Local(siloEnv))));
        Running.AddRange(silos);
        foreach (var started in silos)
        {
            await HealthyAsync(SiloProcess.Assembly, started.Settings, started.DataDirectory);
        }

        var frontEndSettings = Local(gatewayEnv);
        frontEndSettings["urls"] = $"http://127.0.0.1:{FreePort.Next().ToString(CultureInfo.InvariantCulture)}";
        var frontEnd = await GatewayProcess.StartAsync(frontEndSettings);
        Running.Add(frontEnd);
        await HealthyAsync(GatewayProcess.Assembly, frontEnd.Settings, work);

        using var admin = new HttpClient { BaseAddress = frontEnd.BaseAddress };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", gatewayEnv["Synapse__Admin__Token"]);
        var model = gatewayEnv["Synapse__Providers__ollama__Models__0"];
        var (_, secret) = await GatewayApi.CreateKeyAsync(admin, [model]);
        using var client = frontEnd.ClientFor(secret);
        var marker = "composemarker" + Guid.NewGuid().ToString("N");
        var answer = await client.PostAsJsonAsync("/v1/chat/completions", new { model, messages = new[] { new { role = "user", content = marker } } });
        Assert.True(answer.IsSuccessStatusCode, await answer.Content.ReadAsStringAsync());
        Assert.Single(Upstream.RequestsFor(marker));
        var verify = await admin.GetAsync("/admin/api/audit/verify");
        var report = await verify.Content.ReadAsStringAsync();
        Assert.True(verify.IsSuccessStatusCode, report);
        Assert.Contains("\"ok\":true", report, StringComparison.Ordinal);
        Assert.NotEmpty(Directory.EnumerateFiles(checkpoints));

        // Each process said what it runs, naming the database without its password.
        var databaseNamed = $"database PostgreSQL {login.Host}:{login.Port.ToString(CultureInfo.InvariantCulture)}/{login.Database}";
        Assert.All(silos, s => Assert.Contains("Synapse headless silo started: listening on http://", s.Output, StringComparison.Ordinal));
        Assert.All(silos, s => Assert.Contains($"{databaseNamed}; providers ollama (ollama, on-prem, 1 model); audit fails closed, signed checkpoints in {checkpoints}", s.Output, StringComparison.Ordinal));
        Assert.Contains($"Synapse front end (client mode) started: listening on {frontEnd.BaseAddress.ToString().TrimEnd('/')}", frontEnd.Output, StringComparison.Ordinal);
        Assert.Contains($"{databaseNamed}; providers as the silos have them; audit fails closed", frontEnd.Output, StringComparison.Ordinal);
        Assert.All(silos.Select(s => s.Output).Append(frontEnd.Output), output => Assert.DoesNotContain(login.Password!, output, StringComparison.Ordinal));

        // What the cluster's login cannot do: what only a superuser can (run a program on the
        // database host, change the server's settings), nor change an audit row.
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using (var role = dataSource.CreateCommand("SELECT rolsuper OR rolcreaterole OR rolcreatedb OR rolbypassrls FROM pg_roles WHERE rolname = current_user"))
        {
            Assert.Equal(false, await role.ExecuteScalarAsync());
        }

        foreach (var sql in new[] { "COPY (SELECT 1) TO PROGRAM 'true'", "ALTER SYSTEM SET log_statement = 'all'", "UPDATE audit_events SET outcome = 'ok'" })
        {
            await using var command = dataSource.CreateCommand(sql);
            var refused = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());
            Assert.True(refused.SqlState is PostgresErrorCodes.InsufficientPrivilege or PostgresErrorCodes.RaiseException, $"{sql}: {refused.SqlState} {refused.MessageText}");
        }
    }

    /// <summary>Runs the healthcheck compose runs (the executable's <c>health</c> command) until it exits 0.</summary>
    private static async Task HealthyAsync(string assembly, IReadOnlyDictionary<string, string?> settings, string workingDirectory)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var (exitCode, output, errors) = await ChildProcess.RunAsync(assembly, settings, workingDirectory, "health");
            if (exitCode == 0)
            {
                Assert.Contains("Healthy", output, StringComparison.Ordinal);
                return;
            }

            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(60), $"{assembly} health kept failing: {output} {errors}");
            await Task.Delay(250);
        }
    }

    private static Task<string> RunAsync(string program, string workingDirectory, params string[] arguments) =>
        CommandLine.RunAsync(program, workingDirectory, new Dictionary<string, string?>(), arguments);

    private static Dictionary<object, object> Map(object value) => Assert.IsType<Dictionary<object, object>>(value);

    private static List<string> List(object value) => [.. Assert.IsType<List<object>>(value).Select(v => (string)v)];

    private static Dictionary<string, string> Environment(Dictionary<object, object> service) =>
        Map(service["environment"]).ToDictionary(e => (string)e.Key, e => (string)e.Value, StringComparer.Ordinal);

    /// <summary>A compose duration such as <c>30s</c> or <c>1m30s</c>, in seconds.</summary>
    private static int Seconds(string duration)
    {
        var total = 0;
        var number = 0;
        foreach (var c in duration)
        {
            if (char.IsAsciiDigit(c))
            {
                number = (number * 10) + (c - '0');
                continue;
            }

            total += number * (c == 'm' ? 60 : c == 'h' ? 3600 : 1);
            number = 0;
        }

        return total;
    }
}
