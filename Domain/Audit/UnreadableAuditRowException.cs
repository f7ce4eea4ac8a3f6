namespace Synapse.Audit;

/// <summary>
/// A stored audit row holds a value no Synapse writer stores (a type other than the writer's, a
/// NULL where it leaves none, an unknown kind): it was edited outside the gateway. A
/// <see cref="FormatException"/>, so every reader that treats such a row as broken still does;
/// it names the row, so verification and the admin API can tell the auditor which one.
/// </summary>
public sealed class UnreadableAuditRowException : FormatException
{
    public UnreadableAuditRowException()
    {
    }

    public UnreadableAuditRowException(string message)
        : base(message)
    {
    }

    public UnreadableAuditRowException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public UnreadableAuditRowException(long? rowId, string reason, Exception innerException)
        : base(rowId is { } id ? $"Audit row {id} cannot be read: {reason}" : $"An audit row cannot be read: {reason}", innerException)
    {
        RowId = rowId;
        Reason = reason;
    }

    /// <summary>The row's storage id, when that column itself could be read.</summary>
    public long? RowId { get; }

    /// <summary>What was found in the row, without the row's id.</summary>
    public string Reason { get; } = string.Empty;
}
