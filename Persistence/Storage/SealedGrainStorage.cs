using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Orleans.Serialization.Serializers;
using Orleans.Storage;
using Synapse.Alerts;
using Synapse.Grains.Interfaces.Alerts;

namespace Synapse.Persistence.Storage;

/// <summary>
/// Seals every grain state on its way to the database and refuses, on its way back, every row
/// whose seal does not verify: someone who can write the database but does not hold the signing
/// key cannot change what a grain reads (a key's binding or secret hash, a lookup shard, the team
/// registry, the DLP policy), move a row onto another grain, clear a state or plant an unsealed one.
/// </summary>
/// <remarks>
/// Sits between <see cref="GrainTypeScopedGrainStorage"/> (so the state name it binds already
/// names the grain type) and the ADO.NET provider, whose own serializer only passes sealed rows
/// through (<see cref="SealedRowSerializer"/>). The state is serialized once, by the same
/// System.Text.Json serializer as before; the seal costs one HMAC per read or write. A clear is
/// stored as a sealed "cleared" envelope rather than a NULL payload, so a NULL payload is never
/// Synapse's own and is refused too. Deleting a row is not detectable here: it reads as a grain
/// that never stored anything (docs/security.md lists what that means for each grain).
/// </remarks>
internal sealed partial class SealedGrainStorage(
    IGrainStorage inner,
    IGrainStorageSerializer serializer,
    GrainStateSeal seal,
    IActivatorProvider activators,
    IAlertSink? alerts,
    TimeProvider time,
    ILogger<SealedGrainStorage> logger) : IGrainStorage
{
    // One alert per grain and process: a refused key is retried by every request that uses it.
    private readonly ConcurrentDictionary<GrainId, bool> _alerted = new();

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        ReadStateAsync(stateName, grainId, grainState, CancellationToken.None);

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        var row = new GrainState<SealedRow>();
        await inner.ReadStateAsync(stateName, grainId, row, cancellationToken).ConfigureAwait(false);
        grainState.ETag = row.ETag;

        // The provider reports a row whose payload is NULL as no record, but with its version:
        // Synapse never writes one (a clear is sealed too), so only a row without a version is absent.
        if (!row.RecordExists && row.ETag is null)
        {
            grainState.RecordExists = false;
            grainState.State = activators.GetActivator<T>().Create();
            return;
        }

        var content = row.RecordExists && row.State?.Payload is { } payload ? SealedEnvelope.Read(payload) : EnvelopeContent.Broken;
        var problem = content.Kind switch
        {
            EnvelopeKind.Unsealed => "the row is not sealed",
            EnvelopeKind.Broken => "the row's envelope is missing or malformed",
            _ => seal.Verifies(stateName, KeyOf(grainId), content.Json, content.Cleared, content.Seal) ? null : "its seal does not verify",
        };
        if (problem is not null)
        {
            Refuse(stateName, grainId, problem);
        }

        grainState.RecordExists = !content.Cleared;
        grainState.State = content.Json is { } json
            ? serializer.Deserialize<T>(new BinaryData(json)) ?? activators.GetActivator<T>().Create()
            : activators.GetActivator<T>().Create();
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        WriteStateAsync(stateName, grainId, grainState, CancellationToken.None);

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        var json = serializer.Serialize(grainState.State).ToMemory().Span;
        var envelope = SealedEnvelope.Write(seal.Compute(stateName, KeyOf(grainId), json, cleared: false), json, cleared: false);
        await WriteAsync(stateName, grainId, grainState, envelope, cancellationToken).ConfigureAwait(false);
        grainState.RecordExists = true;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        ClearStateAsync(stateName, grainId, grainState, CancellationToken.None);

    /// <summary>
    /// A clear writes a sealed "cleared" envelope (bumping the version like the provider's own
    /// clear), not a NULL payload: a NULL payload would be indistinguishable from one written by hand.
    /// </summary>
    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        var envelope = SealedEnvelope.Write(seal.Compute(stateName, KeyOf(grainId), [], cleared: true), [], cleared: true);
        await WriteAsync(stateName, grainId, grainState, envelope, cancellationToken).ConfigureAwait(false);
        grainState.RecordExists = false;
        grainState.State = activators.GetActivator<T>().Create();
    }

    /// <summary>The grain's key as the ADO.NET provider stores it for a string key, and as the upgrade pass reads it back.</summary>
    internal static string KeyOf(GrainId grainId) => grainId.Key.ToString()!;

    private async Task WriteAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, byte[] envelope, CancellationToken cancellationToken)
    {
        var row = new GrainState<SealedRow>(new SealedRow(envelope), grainState.ETag) { RecordExists = grainState.RecordExists };
        await inner.WriteStateAsync(stateName, grainId, row, cancellationToken).ConfigureAwait(false);
        grainState.ETag = row.ETag;
    }

    private void Refuse(string stateName, GrainId grainId, string problem)
    {
        Log.Refused(logger, stateName, grainId.ToString(), problem);
        if (alerts is not null && _alerted.TryAdd(grainId, true))
        {
            var details = new Dictionary<string, object>
            {
                ["grainType"] = grainId.Type.ToString()!,
                ["grainId"] = grainId.ToString(),
                ["state"] = stateName,
                ["problem"] = problem,
            };
            _ = PublishAsync(AlertEvent.Create(AlertTypes.GrainStateTampered, time.GetUtcNow(), null, null, details));
        }

        throw new TamperedGrainStateException(grainId, stateName, problem);
    }

    private async Task PublishAsync(AlertEvent alert)
    {
        try
        {
            await alerts!.PublishAsync([alert], CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The refusal stands whatever happens to its alert; the log line above is the record.
            Log.AlertFailed(logger, e.GetType().Name);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Error, "Stored grain state {State} of grain {GrainId} refused: {Problem}; the grain does not activate until the row is restored from a backup or rewritten through the admin API")]
        public static partial void Refused(ILogger logger, string state, string grainId, string problem);

        [LoggerMessage(2, LogLevel.Warning, "The alert for refused grain state could not be stored ({ExceptionType})")]
        public static partial void AlertFailed(ILogger logger, string exceptionType);
    }
}
