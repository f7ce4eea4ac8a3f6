using Synapse.Grains.Interfaces.Audit;

namespace Synapse.Gateway.OpenAi;

/// <summary>What reading a <c>/v1</c> body gave: the bytes, or the answer to give and the audit outcome to record.</summary>
internal readonly record struct BodyRead(byte[]? Body, OpenAiError? Error, string Outcome)
{
    /// <summary>The client went away before its body arrived: nothing can be answered, the attempt is still recorded.</summary>
    public bool ClientGone => Body is null && Error is null;

    /// <summary>A body read whole; a leading UTF-8 byte-order mark is left out (<see cref="Binding.RequestJson.WithoutByteOrderMark"/>).</summary>
    public static BodyRead Of(byte[] body) => new(Binding.RequestJson.WithoutByteOrderMark(body), null, AuditOutcomes.Allowed);

    public static BodyRead Refused(OpenAiError error) => new(null, error, AuditOutcomes.InvalidRequest);

    /// <summary>
    /// Refused unread, and left for Kestrel to read to its end after the answer
    /// (<see cref="Hosting.RefusedBody"/>): the connection can stay open.
    /// </summary>
    public bool Drains { get; init; }

    public static BodyRead Gone() => new(null, null, AuditOutcomes.ClientCancelled);
}
