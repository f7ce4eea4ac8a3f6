using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Serialization;
using Orleans.Storage;
using Synapse.Grains.Dlp;
using Synapse.Grains.Interfaces.Alerts;
using Synapse.Grains.Interfaces.Dlp;
using Synapse.Grains.Interfaces.Keys;
using Synapse.Grains.Interfaces.Teams;
using Synapse.Grains.Keys;
using Synapse.Grains.Teams;
using Synapse.Persistence.Storage;
using Synapse.Tests.Storage.Grains;

namespace Synapse.Tests.Storage;

/// <summary>
/// Sealed grain state through a real silo and a real database, run once per engine: whoever can
/// write the table but does not hold the signing key cannot change, move, clear or plant a state
/// that a grain then reads.
/// </summary>
public abstract class SealedStorageScenarios
{
    private const string GrainType = "synapse-tests-state-probe";
    private const string ProbeRows = GrainType + ".probe";

    protected abstract Task<SynapseDatabase> CreateDatabaseAsync();

    [Fact]
    public async Task AStateEditedInTheDatabase_IsRefused_NotRead()
    {
        var database = await CreateDatabaseAsync();
        await using var silo = await TestHost.StartSiloAsync(database);
        var storage = Storage(silo);
        var key = $"key-{Guid.NewGuid():N}";
        await storage.WriteStateAsync("probe", Probe(key), new GrainState<ProbeState>(new ProbeState { Text = "limited", Count = 1 }));

        await StoredStateRows.EditStateAsync(database, ProbeRows, key, state => state["Text"] = "unlimited");

        var read = new GrainState<ProbeState>();
        var refused = await Assert.ThrowsAsync<TamperedGrainStateException>(() => storage.ReadStateAsync("probe", Probe(key), read));
        Assert.Contains(key, refused.Message, StringComparison.Ordinal);
        Assert.Contains(ProbeRows, refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("unlimited", refused.Message, StringComparison.Ordinal);
        Assert.NotEqual("unlimited", read.State?.Text);

        // A grain on that row does not activate: the call fails instead of answering the edit.
        var failed = await Assert.ThrowsAnyAsync<Exception>(() => silo.Grains.GetGrain<IStateProbeGrain>(key).GetAsync());
        Assert.DoesNotContain("unlimited", failed.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASealedRowCopiedOntoAnotherGrainsRow_IsRefused()
    {
        var database = await CreateDatabaseAsync();
        await using var silo = await TestHost.StartSiloAsync(database);
        var storage = Storage(silo);
        var (privileged, ordinary) = ($"key-{Guid.NewGuid():N}", $"key-{Guid.NewGuid():N}");
        await storage.WriteStateAsync("probe", Probe(privileged), new GrainState<ProbeState>(new ProbeState { Text = "admin" }));
        await storage.WriteStateAsync("probe", Probe(ordinary), new GrainState<ProbeState>(new ProbeState { Text = "user" }));

        var sealedElsewhere = await StoredStateRows.ReadPayloadAsync(database, ProbeRows, privileged);
        await StoredStateRows.WritePayloadAsync(database, ProbeRows, ordinary, sealedElsewhere);

        var original = new GrainState<ProbeState>();
        await storage.ReadStateAsync("probe", Probe(privileged), original);
        Assert.Equal("admin", original.State?.Text);
        await Assert.ThrowsAsync<TamperedGrainStateException>(() => storage.ReadStateAsync("probe", Probe(ordinary), new GrainState<ProbeState>()));
    }

    [Fact]
    public async Task AStateClearedOrPlantedUnsealedInTheDatabase_IsRefused()
    {
        var database = await CreateDatabaseAsync();
        await using var silo = await TestHost.StartSiloAsync(database);
        var storage = Storage(silo);
        var (cleared, planted) = ($"key-{Guid.NewGuid():N}", $"key-{Guid.NewGuid():N}");
        await storage.WriteStateAsync("probe", Probe(cleared), new GrainState<ProbeState>(new ProbeState { Text = "policy" }));

        // The provider's own clear writes NULL: by hand, it would turn a stored policy into "none".
        await StoredStateRows.WritePayloadAsync(database, ProbeRows, cleared, null);
        await StoredStateRows.InsertUnsealedAsync(database, TestHost.ServiceId, ProbeRows, planted, """{"Text":"planted","Count":7,"Tags":[]}""");

        await Assert.ThrowsAsync<TamperedGrainStateException>(() => storage.ReadStateAsync("probe", Probe(cleared), new GrainState<ProbeState>()));
        await Assert.ThrowsAsync<TamperedGrainStateException>(() => storage.ReadStateAsync("probe", Probe(planted), new GrainState<ProbeState>()));
    }

    [Fact]
    public async Task AClearIsSealedToo_AndReadsBackAsNoRecord()
    {
        var database = await CreateDatabaseAsync();
        await using var silo = await TestHost.StartSiloAsync(database);
        var storage = Storage(silo);
        var key = $"key-{Guid.NewGuid():N}";
        var state = new GrainState<ProbeState>(new ProbeState { Text = "kept" });
        await storage.WriteStateAsync("probe", Probe(key), state);
        await storage.ClearStateAsync("probe", Probe(key), state);

        var stored = JsonNode.Parse(Encoding.UTF8.GetString((await StoredStateRows.ReadPayloadAsync(database, ProbeRows, key))!))!;
        var read = new GrainState<ProbeState>();
        await storage.ReadStateAsync("probe", Probe(key), read);

        Assert.Null(stored[SealedEnvelope.StateProperty]);
        Assert.NotNull(stored[SealedEnvelope.SealProperty]);
        Assert.Equal((false, "", state.ETag), (read.RecordExists, read.State?.Text, read.ETag));
    }

    /// <summary>Every state type a Synapse grain stores, under its grain's real type and state name.</summary>
    [Fact]
    public async Task EveryStateSynapseStores_RoundTripsThroughItsSeal()
    {
        var database = await CreateDatabaseAsync();
        await using var silo = await TestHost.StartSiloAsync(database);
        var storage = Storage(silo);
        var json = new SystemTextJsonGrainStorageSerializer(Options.Create(new SystemTextJsonGrainStorageSerializerOptions()));
        var at = DateTimeOffset.UnixEpoch.AddYears(56);
        var binding = new KeyBinding("team_1", "hr — ünïcode \"quoted\"", "You answer HR questions.\n\tOnly those.", ["llama3", "gpt-4o"], DataClassification.Sensitive, new KeyLimits(60, 1000, 4), new Dictionary<string, string> { ["EMAIL"] = "block" }, ExpiresAt: at.AddDays(30));

        await RoundTripAsync(storage, json, "synapse.api-key", "key", new ApiKeyState { Info = new KeyInfo("key_1", "syn-abc", binding, at, null), SecretSha256 = new string('a', 64) });
        await RoundTripAsync(storage, json, "synapse.key-lookup", "shard", new KeyLookupState { KeyIdsByHash = { [new string('a', 64)] = "key_1" } });
        await RoundTripAsync(storage, json, "synapse.key-registry", "keys", new KeyRegistryState { KeyIds = ["key_1", "key_2"], TeamByKey = { ["key_1"] = "team_1" } });
        await RoundTripAsync(storage, json, "synapse.team-registry", "teams", new TeamRegistryState { Teams = [new TeamInfo("team_1", "Finance", at)] });
        await RoundTripAsync(storage, json, "synapse.dlp-policy", "policy", new DlpPolicyState { Policy = new DlpPolicyDocument(new Dictionary<string, string> { ["EMAIL"] = "block" }, [new DlpCustomCategoryDocument("project_code", "PRJ-[0-9]{6}", "redact")], 3) });
        await RoundTripAsync(storage, json, "synapse.key-activity", "activity", new SpikeBaseline { Requests = 12.5, Tokens = 9000, ObservedMinutes = 40, LastClosedMinute = at });
    }

    [Fact]
    public async Task RowsFromBeforeSealing_AreSealedAtTheFirstStart_AndAnUnsealedRowAfterThatIsRefused()
    {
        var database = await CreateDatabaseAsync();
        var sealing = new GrainStateSealing(TestHost.Sealing.Key, Path.Combine(Path.GetTempPath(), "synapse-tests", $"seal-marker-{Guid.NewGuid():N}"));
        var (legacy, plantedLater) = ($"key-{Guid.NewGuid():N}", $"key-{Guid.NewGuid():N}");
        await StoredStateRows.InsertUnsealedAsync(database, TestHost.ServiceId, ProbeRows, legacy, """{"Text":"from the last release","Count":3,"Tags":["a"]}""");

        await using (var upgraded = await TestHost.StartSiloAsync(database, sealing))
        {
            Assert.True(File.Exists(sealing.MarkerFile));
            var read = await upgraded.Grains.GetGrain<IStateProbeGrain>(legacy).GetAsync();
            Assert.Equal(("from the last release", 3, true), (read.Text, read.Count, read.RecordExists));
            var stored = JsonNode.Parse(Encoding.UTF8.GetString((await StoredStateRows.ReadPayloadAsync(database, ProbeRows, legacy))!))!;
            Assert.NotNull(stored[SealedEnvelope.SealProperty]);
        }

        await StoredStateRows.InsertUnsealedAsync(database, TestHost.ServiceId, ProbeRows, plantedLater, """{"Text":"planted","Count":9,"Tags":[]}""");
        await using var restarted = await TestHost.StartSiloAsync(database, sealing);
        var storage = Storage(restarted);

        var kept = new GrainState<ProbeState>();
        await storage.ReadStateAsync("probe", Probe(legacy), kept);
        Assert.Equal("from the last release", kept.State?.Text);
        await Assert.ThrowsAsync<TamperedGrainStateException>(() => storage.ReadStateAsync("probe", Probe(plantedLater), new GrainState<ProbeState>()));
    }

    private static async Task RoundTripAsync<T>(IGrainStorage storage, SystemTextJsonGrainStorageSerializer json, string grainType, string stateName, T state)
    {
        var grainId = GrainId.Create(grainType, $"key-{Guid.NewGuid():N}");
        await storage.WriteStateAsync(stateName, grainId, new GrainState<T>(state));
        var read = new GrainState<T>();
        await storage.ReadStateAsync(stateName, grainId, read);
        Assert.True(read.RecordExists, grainType);
        Assert.Equal(json.Serialize(state).ToString(), json.Serialize(read.State).ToString());
    }

    private static IGrainStorage Storage(TestHost silo) => silo.Services.GetRequiredKeyedService<IGrainStorage>(SynapseStorage.Name);

    private static GrainId Probe(string key) => GrainId.Create(GrainType, key);
}
