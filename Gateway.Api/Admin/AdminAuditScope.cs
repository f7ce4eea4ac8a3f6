namespace Synapse.Gateway.Admin;

/// <summary>
/// What a handler tells <see cref="AdminAuditFilter"/> about the action it performed: the target
/// once known (a new id), an actor when the request has none yet (sign-in), and the state before
/// and after (objects without secrets, serialized into the event's detail).
/// </summary>
internal sealed class AdminAuditScope
{
    public string? Target { get; set; }

    public string? Actor { get; set; }

    public object? Before { get; set; }

    public object? After { get; set; }

    /// <summary>
    /// True when the attempt is already stood for by an aggregate row (a throttled flood writes one
    /// row per address and window, not one per attempt), so the filter writes none of its own.
    /// </summary>
    public bool Unrecorded { get; set; }

    /// <summary>Further non-secret facts (e.g. why a sign-in failed).</summary>
    public Dictionary<string, object?> Facts { get; } = new(StringComparer.Ordinal);

    public static AdminAuditScope Of(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Features.Get<AdminAuditScope>() is not { } scope)
        {
            scope = new AdminAuditScope();
            context.Features.Set(scope);
        }

        return scope;
    }
}
