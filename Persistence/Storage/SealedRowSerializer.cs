using Orleans.Storage;

namespace Synapse.Persistence.Storage;

/// <summary>
/// The ADO.NET provider's serializer: it passes a <see cref="SealedRow"/>'s bytes through and
/// refuses every other type, so nothing reaches the table without its seal, whoever calls the
/// provider. The state's own JSON is written (once) by <see cref="SealedGrainStorage"/>.
/// </summary>
internal sealed class SealedRowSerializer : IGrainStorageSerializer
{
    public BinaryData Serialize<T>(T? input) =>
        input is SealedRow { Payload: { } payload }
            ? new BinaryData(payload)
            : throw new InvalidOperationException($"Grain state reaches the database only sealed; {typeof(T).Name} is not a sealed row.");

    public T Deserialize<T>(BinaryData input) =>
        typeof(T) == typeof(SealedRow)
            ? (T)(object)new SealedRow(input.ToArray())
            : throw new InvalidOperationException($"Grain state is read from the database only as a sealed row, not as {typeof(T).Name}.");
}
