using System.Data.Common;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Synapse.Audit;

namespace Synapse.Persistence.Storage;

/// <summary>
/// The upgrade from unsealed grain state: at the first start of a release that seals (no marker
/// in <see cref="GrainStateSealing.MarkerDirectory"/>), seals every unsealed row of this service
/// before any grain activates, then writes the marker and logs one line with the count. With the
/// marker present it does nothing, and an unsealed row (one an attacker planted later, or a restored
/// pre-upgrade backup) is refused when read. Runs at every start until the marker is written, so
/// a start interrupted half-way finishes the job the next time.
/// </summary>
/// <remarks>
/// The marker lives outside the database because whoever can write the database must not be able
/// to reopen the window. A row that claims to be sealed but is not (a broken envelope) is left as
/// it is and refused when read: only rows from before sealing are trusted, once.
/// </remarks>
internal sealed partial class LegacyGrainStateSealer(
    SynapseDatabase database,
    GrainStateSealing sealing,
    IOptions<ClusterOptions> cluster,
    ILogger<LegacyGrainStateSealer> logger,
    TimeProvider? time = null) : ILifecycleParticipant<ISiloLifecycle>
{
    private const string SelectRows = """
        SELECT grain_type, grain_id_n0, grain_id_n1, grain_key, payload, version
        FROM synapse_grain_state
        WHERE service_id = @ServiceId AND payload IS NOT NULL
        """;

    private const string UpdateRow = """
        UPDATE synapse_grain_state
        SET payload = @Payload, version = version + 1
        WHERE service_id = @ServiceId AND grain_type = @GrainType
          AND grain_id_n0 = @N0 AND grain_id_n1 = @N1 AND grain_key = @GrainKey
          AND version = @Version
        """;

    // After the schema is installed (the first stage), long before any grain can activate.
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(LegacyGrainStateSealer), ServiceLifecycleStage.RuntimeStorageServices, SealAsync);

    internal async Task SealAsync(CancellationToken cancellationToken)
    {
        if (File.Exists(sealing.MarkerFile))
        {
            return;
        }

        var serviceId = cluster.Value.ServiceId;
        var seal = new GrainStateSeal(sealing.Key);
        await using var connection = await DbCommands.OpenAsync(database, cancellationToken).ConfigureAwait(false);
        var unsealed = await UnsealedRowsAsync(connection, serviceId, cancellationToken).ConfigureAwait(false);
        var sealedCount = 0;
        var skipped = 0;
        foreach (var row in unsealed)
        {
            // Only string keys can be bound as the storage binds them; every Synapse grain with
            // state has one. Anything else stays unsealed and is refused, never trusted blindly.
            if (row.N0 != 0 || row.N1 != 0)
            {
                skipped++;
                continue;
            }

            var envelope = SealedEnvelope.Write(seal.Compute(row.GrainType, row.GrainKey, row.Payload, cleared: false), row.Payload, cleared: false);
            sealedCount += await DbCommands.ExecuteAsync(connection, null, UpdateRow, cancellationToken,
                ("Payload", envelope), ("ServiceId", serviceId), ("GrainType", row.GrainType),
                ("N0", row.N0), ("N1", row.N1), ("GrainKey", row.GrainKey), ("Version", row.Version)).ConfigureAwait(false);
        }

        WriteMarker(serviceId);
        Log.Sealed(logger, sealedCount, skipped, sealing.MarkerFile);
    }

    private void WriteMarker(string serviceId)
    {
        OwnerOnlyFiles.CreateDirectory(sealing.MarkerDirectory);
        try
        {
            OwnerOnlyFiles.WriteNew(sealing.MarkerFile, $"Grain state of service {serviceId} sealed at {(time ?? TimeProvider.System).GetUtcNow():O}; delete this file only to trust the database's unsealed rows once more (docs/operations.md).{Environment.NewLine}");
        }
        catch (IOException) when (File.Exists(sealing.MarkerFile))
        {
            // Another silo of the cluster finished its pass first.
        }
    }

    private static async Task<List<UnsealedRow>> UnsealedRowsAsync(DbConnection connection, string serviceId, CancellationToken cancellationToken)
    {
        var rows = new List<UnsealedRow>();
        await using var command = DbCommands.Create(connection, null, SelectRows, ("ServiceId", serviceId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var payload = (byte[])reader.GetValue(4);
            if (SealedEnvelope.Read(payload).Kind == EnvelopeKind.Unsealed)
            {
                rows.Add(new UnsealedRow(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetString(3), payload, reader.GetInt32(5)));
            }
        }

        return rows;
    }

    private sealed record UnsealedRow(string GrainType, long N0, long N1, string GrainKey, byte[] Payload, int Version);

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Sealed {Count} grain-state rows written before sealing ({Skipped} left unsealed: not string-keyed, so refused when read); from now on an unsealed row is refused. Marker: {MarkerFile}")]
        public static partial void Sealed(ILogger logger, int count, int skipped, string markerFile);
    }
}
