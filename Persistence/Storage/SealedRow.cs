namespace Synapse.Persistence.Storage;

/// <summary>
/// What <see cref="SealedGrainStorage"/> hands the ADO.NET provider: a row's payload, already an
/// envelope (<see cref="SealedEnvelope"/>), or null when the row has none.
/// </summary>
internal sealed class SealedRow
{
    public SealedRow()
    {
    }

    public SealedRow(byte[] payload) => Payload = payload;

    public byte[]? Payload { get; }
}
