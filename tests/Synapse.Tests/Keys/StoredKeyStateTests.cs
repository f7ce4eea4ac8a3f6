using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Orleans.Serialization;
using Orleans.Storage;
using Synapse.Grains.Interfaces.Keys;
using Synapse.Grains.Keys;

namespace Synapse.Tests.Keys;

/// <summary>
/// A key stored before a binding field existed reads back through the grain storage's serializer
/// (System.Text.Json, as every silo registers it) with that field's default: no expiry, client
/// system messages demoted. A key stored with an expiry keeps it.
/// </summary>
public sealed class StoredKeyStateTests
{
    private static readonly SystemTextJsonGrainStorageSerializer Serializer = new(Options.Create(new SystemTextJsonGrainStorageSerializerOptions()));

    [Fact]
    public void AKeyStoredBeforeExpiryExisted_ReadsAsNeverExpiring()
    {
        var binding = new KeyBinding("team_1", "hr", "You answer HR questions.", ["llama3"], DataClassification.Sensitive, new KeyLimits(60, 1000, 4), ExpiresAt: DateTimeOffset.UnixEpoch.AddYears(60));
        var stored = JsonNode.Parse(Serializer.Serialize(new ApiKeyState { Info = new KeyInfo("key_1", "syn-abc", binding, DateTimeOffset.UnixEpoch, null), SecretSha256 = "00" }).ToString())!;
        var storedBinding = stored["Info"]!["Binding"]!.AsObject();
        Assert.True(storedBinding.Remove("ExpiresAt"), stored.ToJsonString());
        Assert.True(storedBinding.Remove("ClientSystemMessages"), stored.ToJsonString());

        var read = Serializer.Deserialize<ApiKeyState>(BinaryData.FromString(stored.ToJsonString()))!;
        var kept = Serializer.Deserialize<ApiKeyState>(Serializer.Serialize(new ApiKeyState { Info = new KeyInfo("key_1", "syn-abc", binding, DateTimeOffset.UnixEpoch, null) }))!;

        Assert.Null(read.Info!.Binding.ExpiresAt);
        Assert.False(read.Info.Binding.ExpiredAt(DateTimeOffset.MaxValue));
        Assert.Equal(ClientSystemMessages.Demote, read.Info.Binding.ClientSystemMessages);
        Assert.Equal(binding.ExpiresAt, kept.Info!.Binding.ExpiresAt);
        Assert.True(kept.Info.Binding.ExpiredAt(binding.ExpiresAt!.Value));
    }
}
