using System.Data.Common;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Synapse.Persistence.Storage;
using Synapse.Tests.Storage.Grains;
using Xunit;

namespace Synapse.Tests.Storage;

/// <summary>
/// Grain storage through a real silo, run once per engine by the derived classes: the same
/// behaviour is required of the SQLite and the PostgreSQL scripts.
/// </summary>
public abstract class GrainStorageScenarios
{
    private const string GrainType = "synapse-tests-state-probe";

    protected abstract Task<SynapseDatabase> CreateDatabaseAsync();

    protected abstract DbConnection CreateConnection(SynapseDatabase database);

    [Fact]
    public async Task Grain_WritesReadsUpdatesAndClearsState()
    {
        var database = await CreateDatabaseAsync();
        await using var silo = await TestHost.StartSiloAsync(database);
        var grain = silo.Grains.GetGrain<IStateProbeGrain>($"key-{Guid.NewGuid():N}");

        var empty = await grain.GetAsync();
        Assert.False(empty.RecordExists);
        Assert.Null(empty.ETag);

        var written = await grain.SetAsync("first", 1);
        Assert.True(written.RecordExists);
        Assert.NotNull(written.ETag);
        Assert.Equal(written, await grain.ReloadAsync());

        var updated = await grain.SetAsync("second", 2);
        Assert.NotEqual(written.ETag, updated.ETag);
        var reloaded = await grain.ReloadAsync();
        Assert.Equal(("second", 2, true, updated.ETag), (reloaded.Text, reloaded.Count, reloaded.RecordExists, reloaded.ETag));

        var cleared = await grain.ClearAsync();
        Assert.False(cleared.RecordExists);
        Assert.Equal(("", 0), (cleared.Text, cleared.Count));
        var afterClear = await grain.ReloadAsync();
        Assert.False(afterClear.RecordExists);
        Assert.Equal(("", 0), (afterClear.Text, afterClear.Count));

        // A cleared grain can be written again, continuing from the cleared row's version.
        var rewritten = await grain.SetAsync("third", 3);
        Assert.True(rewritten.RecordExists);
        Assert.Equal(rewritten, await grain.ReloadAsync());
    }

    [Fact]
    public async Task ConcurrentWritesFromManyGrains_AllSucceed()
    {
        var database = await CreateDatabaseAsync();
        await using var silo = await TestHost.StartSiloAsync(database);
        var grains = Enumerable.Range(0, 40)
            .Select(_ => silo.Grains.GetGrain<IStateProbeGrain>($"key-{Guid.NewGuid():N}"))
            .ToList();

        // Many activations write at once: SQLite must queue them (WAL, busy retries), not fail them.
        await Task.WhenAll(grains.Select(async grain =>
        {
            for (var count = 1; count <= 5; count++)
            {
                await grain.SetAsync("busy", count);
            }
        }));

        var states = await Task.WhenAll(grains.Select(grain => grain.ReloadAsync()));
        Assert.All(states, state => Assert.Equal(("busy", 5), (state.Text, state.Count)));
    }

    [Fact]
    public async Task StoredPayload_IsSealedPlainJsonWithoutTypeNames()
    {
        var database = await CreateDatabaseAsync();
        await using var silo = await TestHost.StartSiloAsync(database);
        var key = $"key-{Guid.NewGuid():N}";
        await silo.Grains.GetGrain<IStateProbeGrain>(key).SetAsync("hello", 42);

        var (grainType, stored) = await ReadRowAsync(database, key);

        // The row is the seal's envelope; the state inside it is the serializer's JSON, as a string.
        Assert.Equal($"{GrainType}.probe", grainType);
        using var envelope = JsonDocument.Parse(stored);
        Assert.Equal([SealedEnvelope.SealProperty, SealedEnvelope.StateProperty], envelope.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal(32, envelope.RootElement.GetProperty(SealedEnvelope.SealProperty).GetBytesFromBase64().Length);
        var payload = envelope.RootElement.GetProperty(SealedEnvelope.StateProperty).GetString()!;
        Assert.DoesNotContain("$type", payload, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(payload);
        Assert.Equal("hello", json.RootElement.GetProperty("Text").GetString());
        Assert.Equal(42, json.RootElement.GetProperty("Count").GetInt32());
        Assert.Equal(["hello", "count-42"], json.RootElement.GetProperty("Tags").EnumerateArray().Select(tag => tag.GetString()));
    }

    [Fact]
    public async Task StaleETag_WriteAndClearFailWithInconsistentState()
    {
        var database = await CreateDatabaseAsync();
        await using var silo = await TestHost.StartSiloAsync(database);
        var storage = silo.Services.GetRequiredKeyedService<IGrainStorage>(SynapseStorage.Name);
        var grainId = GrainId.Create(GrainType, $"key-{Guid.NewGuid():N}");
        const string stateName = "probe";

        var first = new GrainState<ProbeState>(new ProbeState { Text = "first" });
        await storage.WriteStateAsync(stateName, grainId, first);
        var staleETag = first.ETag;
        await storage.WriteStateAsync(stateName, grainId, first);
        Assert.NotEqual(staleETag, first.ETag);

        var stale = new GrainState<ProbeState>(new ProbeState { Text = "stale" }) { ETag = staleETag, RecordExists = true };
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(stateName, grainId, stale));
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearStateAsync(stateName, grainId, stale));

        // A writer that never read the state must not overwrite an existing row either.
        var blind = new GrainState<ProbeState>(new ProbeState { Text = "blind" });
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(stateName, grainId, blind));

        var current = new GrainState<ProbeState>();
        await storage.ReadStateAsync(stateName, grainId, current);
        Assert.NotNull(current.State);
        Assert.Equal(("first", first.ETag), (current.State.Text, current.ETag));
    }

    [Fact]
    public async Task GrainTypesWithTheSameKeyAndStateName_KeepSeparateState()
    {
        var database = await CreateDatabaseAsync();
        await using var silo = await TestHost.StartSiloAsync(database);
        var storage = silo.Services.GetRequiredKeyedService<IGrainStorage>(SynapseStorage.Name);
        var key = $"key-{Guid.NewGuid():N}";
        var keyGrain = GrainId.Create("synapse-tests-a", key);
        var teamGrain = GrainId.Create("synapse-tests-b", key);

        await storage.WriteStateAsync("state", keyGrain, new GrainState<ProbeState>(new ProbeState { Text = "a" }));
        await storage.WriteStateAsync("state", teamGrain, new GrainState<ProbeState>(new ProbeState { Text = "b" }));

        var a = new GrainState<ProbeState>();
        var b = new GrainState<ProbeState>();
        await storage.ReadStateAsync("state", keyGrain, a);
        await storage.ReadStateAsync("state", teamGrain, b);
        Assert.Equal(("a", "b"), (a.State?.Text, b.State?.Text));
    }

    [Fact]
    public async Task DefaultGrainStorage_IsTheSynapseProvider()
    {
        var database = await CreateDatabaseAsync();
        await using var silo = await TestHost.StartSiloAsync(database);

        Assert.Same(
            silo.Services.GetRequiredKeyedService<IGrainStorage>(SynapseStorage.Name),
            silo.Services.GetRequiredService<IGrainStorage>());
    }

    private async Task<(string GrainType, string Payload)> ReadRowAsync(SynapseDatabase database, string key)
    {
        await using var connection = CreateConnection(database);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT grain_type, payload FROM synapse_grain_state WHERE grain_key = @key";
        var parameter = command.CreateParameter();
        parameter.ParameterName = "key";
        parameter.Value = key;
        command.Parameters.Add(parameter);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), "The grain's row was not found.");
        var row = (reader.GetString(0), Encoding.UTF8.GetString((byte[])reader.GetValue(1)));
        Assert.False(await reader.ReadAsync(), "The grain has more than one row.");
        return row;
    }
}
