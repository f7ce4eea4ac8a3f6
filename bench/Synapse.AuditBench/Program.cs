using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Synapse.Persistence.Schema;
using Synapse.AuditBench;
using Synapse.Audit;
using Synapse.Grains.Audit;
using Synapse.Grains.Interfaces.Audit;
using Synapse.Grains.Interfaces.Providers;
using Synapse.Hosting.Audit;
using Synapse.Persistence.Audit;
using Synapse.Silo.Audit;
using Synapse.Persistence.Storage;

// The audit path alone, against a real (fsync on) PostgreSQL: AuditBatchWriter + PostgresAuditStore,
// exactly what IAuditGrain calls (keyed row MACs; the signed manifest in the database and in a
// checkpoint directory). 1) saturation throughput with many concurrent appenders; 2) the
// durable-before-forward wait at a steady 200 appends/s (open loop, one every 5 ms).
if (args is ["usage", ..])
{
    await UsageBench.RunAsync(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1_000_000, args.Length > 2 ? args[2] : "both");
    return;
}

var seconds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10;
using var server = ThrowawayPostgres.Start();
await using (var admin = new NpgsqlConnection(server.ConnectionString("postgres")))
{
    await admin.OpenAsync();
    await using var create = new NpgsqlCommand("CREATE DATABASE auditbench", admin);
    await create.ExecuteNonQueryAsync();
}

var database = new SynapseDatabase(DatabaseEngine.Postgres, server.ConnectionString("auditbench"));
await SchemaInstaller.EnsureCreatedAsync(database, CancellationToken.None);
var keys = new AuditKeys(RandomNumberGenerator.GetBytes(32), RandomNumberGenerator.GetBytes(32));
var digester = new AuditDigester(keys);
var chain = new AuditChain(keys);
var store = AuditStores.Create(database);
var manifestStore = AuditStores.CreateManifestStore(database);
var checkpoints = new AuditCheckpointDirectory(Path.Combine(Path.GetTempPath(), "synapse-auditbench-checkpoints-" + Guid.NewGuid().ToString("N")));
var manifest = new AuditManifest(manifestStore, checkpoints, new AuditManifestSigner(keys), NullLogger<AuditManifest>.Instance);
var writer = new AuditBatchWriter(store, manifest, chain, new AuditOptions(), TimeProvider.System, NullLogger<AuditBatchWriter>.Instance);
await writer.StartAsync(CancellationToken.None);

AuditRecord Record(int i) => AuditRecord.Create(AuditEventKind.Request, AuditOutcomes.Allowed, DateTimeOffset.UtcNow) with
{
    RequestId = "req_" + i.ToString("x24", CultureInfo.InvariantCulture),
    KeyId = "key_" + (i % 50).ToString(CultureInfo.InvariantCulture),
    TeamId = "team_" + (i % 5).ToString(CultureInfo.InvariantCulture),
    Model = "llama3",
    Provider = "local",
    ProviderLocation = ProviderLocation.OnPrem,
    HttpStatus = 200,
    PromptSha256 = digester.Prompt("prompt " + i.ToString(CultureInfo.InvariantCulture)),
    PromptTokens = 42,
};

async Task<(double PerSecond, double[] Latencies)> SaturateAsync(int appenders, TimeSpan duration)
{
    var latencies = new List<double>[appenders];
    var stop = Stopwatch.StartNew();
    var total = 0;
    await Task.WhenAll(Enumerable.Range(0, appenders).Select(a => Task.Run(async () =>
    {
        var mine = latencies[a] = [];
        for (var i = 0; stop.Elapsed < duration; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await writer.AppendAsync(Record(i));
            mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        Interlocked.Add(ref total, mine.Count);
    })));
    return (total / stop.Elapsed.TotalSeconds, latencies.SelectMany(l => l).Order().ToArray());
}

async Task<double[]> SteadyAsync(int perSecond, TimeSpan duration)
{
    var interval = TimeSpan.FromSeconds(1.0 / perSecond);
    var pending = new List<Task<double>>();
    var clock = Stopwatch.StartNew();
    for (var next = TimeSpan.Zero; next < duration; next += interval)
    {
        while (clock.Elapsed < next)
        {
            var wait = next - clock.Elapsed;
            if (wait > TimeSpan.FromMilliseconds(2))
            {
                await Task.Delay(wait - TimeSpan.FromMilliseconds(1));
            }
            else
            {
                Thread.SpinWait(50);
            }
        }

        var i = pending.Count;
        pending.Add(Task.Run(async () =>
        {
            var started = Stopwatch.GetTimestamp();
            await writer.AppendAsync(Record(i));
            return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }));
    }

    return (await Task.WhenAll(pending)).Order().ToArray();
}

static double P(double[] sorted, double q) => sorted[Math.Min(sorted.Length - 1, (int)(q * sorted.Length))];

static string Row(string name, double[] l) =>
    string.Create(CultureInfo.InvariantCulture, $"| {name} | {l.Length} | {P(l, 0.50):F2} | {P(l, 0.95):F2} | {P(l, 0.99):F2} | {l[^1]:F2} |");

await SaturateAsync(64, TimeSpan.FromSeconds(2)); // warm-up: JIT, pools, plans
Console.WriteLine($"Audit path benchmark: {Environment.ProcessorCount} cores, PostgreSQL with fsync=on, synchronous_commit=on; {seconds} s per phase");
Console.WriteLine();
Console.WriteLine("| phase | appends | p50 ms | p95 ms | p99 ms | max ms |");
Console.WriteLine("|---|---|---|---|---|---|");
var steady = await SteadyAsync(200, TimeSpan.FromSeconds(seconds));
Console.WriteLine(Row("steady 200/s (open loop)", steady));
foreach (var appenders in new[] { 64, 256, 1024 })
{
    var (rate, latencies) = await SaturateAsync(appenders, TimeSpan.FromSeconds(seconds));
    Console.WriteLine(Row(string.Create(CultureInfo.InvariantCulture, $"saturation, {appenders} appenders: {rate:F0} events/s"), latencies));
}

await writer.StopAsync(CancellationToken.None);
var verifyClock = Stopwatch.StartNew();
var verify = await new AuditVerifier(store, manifest, chain).VerifyAsync(CancellationToken.None);
Console.WriteLine();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"verify: ok={verify.Ok} checked={verify.Checked} partitions={verify.Partitions} checkpoints={verify.Checkpoints} in {verifyClock.Elapsed.TotalSeconds:F1} s ({verify.Checked / verifyClock.Elapsed.TotalSeconds:F0} rows/s)"));
await ((IAsyncDisposable)store).DisposeAsync();
await ((IAsyncDisposable)manifestStore).DisposeAsync();
Directory.Delete(checkpoints.Path, recursive: true);
