using System.Text;
using Synapse.Persistence.Storage;

namespace Synapse.Tests.Storage;

/// <summary>The seal and its envelope without a database: what binds, what is told apart.</summary>
public sealed class GrainStateSealTests
{
    private static readonly GrainStateSeal Seal = new(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());

    [Fact]
    public void TheSeal_BindsTheStateNameTheKeyTheJsonAndWhetherItIsACleared()
    {
        var json = "{\"Text\":\"a\"}"u8;
        var seal = Seal.Compute("synapse.api-key.key", "key_1", json, cleared: false);

        Assert.True(Seal.Verifies("synapse.api-key.key", "key_1", json, cleared: false, seal));
        Assert.False(Seal.Verifies("synapse.api-key.key", "key_2", json, cleared: false, seal));
        Assert.False(Seal.Verifies("synapse.team-registry.key", "key_1", json, cleared: false, seal));
        Assert.False(Seal.Verifies("synapse.api-key.key", "key_1", "{\"Text\":\"b\"}"u8, cleared: false, seal));
        Assert.False(Seal.Verifies("synapse.api-key.key", "key_1", json, cleared: true, seal));
        Assert.False(Seal.Verifies("synapse.api-key.key", "key_1", json, cleared: false, seal.AsSpan(0, 31)));
        Assert.False(new GrainStateSeal(new byte[32]).Verifies("synapse.api-key.key", "key_1", json, cleared: false, seal));
    }

    [Fact]
    public void TheFraming_KeepsTheBoundaryBetweenNameAndKey()
    {
        // Without length prefixes "a.b" + "c" and "a." + "bc" would hash the same bytes.
        var seal = Seal.Compute("a.b", "c", "{}"u8, cleared: false);

        Assert.False(Seal.Verifies("a.", "bc", "{}"u8, cleared: false, seal));
    }

    [Fact]
    public void TheEnvelope_KeepsTheJsonByteForByte_EscapesAndAll()
    {
        var json = Encoding.UTF8.GetBytes("{\"Prompt\":\"line\\none \\\"quoted\\\" ünïcode \\u0001\",\"N\":1}");
        var seal = Seal.Compute("s", "k", json, cleared: false);

        var read = SealedEnvelope.Read(SealedEnvelope.Write(seal, json, cleared: false));

        Assert.Equal(EnvelopeKind.Sealed, read.Kind);
        Assert.Equal(json, read.Json);
        Assert.Equal(seal, read.Seal);
        Assert.True(Seal.Verifies("s", "k", read.Json, read.Cleared, read.Seal));
    }

    [Fact]
    public void AClearedEnvelope_HasNoJson()
    {
        var read = SealedEnvelope.Read(SealedEnvelope.Write(Seal.Compute("s", "k", [], cleared: true), [], cleared: true));

        Assert.Equal((EnvelopeKind.Sealed, true), (read.Kind, read.Cleared));
    }

    [Theory]
    [InlineData("{\"Info\":{\"Id\":\"key_1\"},\"SecretSha256\":\"00\"}")]
    [InlineData("{}")]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    public void AStateFromBeforeSealing_IsUnsealed(string payload) =>
        Assert.Equal(EnvelopeKind.Unsealed, SealedEnvelope.Read(Encoding.UTF8.GetBytes(payload)).Kind);

    [Theory]
    [InlineData("{\"$seal\":\"AAAA\"}")]
    [InlineData("{\"$seal\":\"not base64!\",\"$state\":\"{}\"}")]
    [InlineData("{\"$seal\":\"AAAA\",\"$state\":{}}")]
    [InlineData("{\"$seal\":\"AAAA\",\"$state\":\"{}\",\"Extra\":1}")]
    [InlineData("{\"$seal\":\"AAAA\",\"$state\":\"{}\"} {}")]
    [InlineData("{\"$seal\":\"AAAA\",\"$state\":\"{}\"")]
    public void AnEnvelopeOutOfShape_IsBroken_NotTakenForAnOldRow(string payload) =>
        Assert.Equal(EnvelopeKind.Broken, SealedEnvelope.Read(Encoding.UTF8.GetBytes(payload)).Kind);
}
