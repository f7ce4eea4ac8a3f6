namespace Synapse.Binding;

/// <summary>
/// The names of what the binding left out of a client's body, for the answer's
/// <c>x-synapse-dropped-fields</c> header and the audit row. Names only, never values; a name the
/// client made up is repeated only when it cannot carry data (see <see cref="Name"/>).
/// </summary>
public sealed class DroppedFields
{
    public const string HeaderName = "x-synapse-dropped-fields";

    /// <summary>More than this many are summarised as "+N more", so a hostile body cannot grow the header.</summary>
    public const int MaxListed = 32;

    private const int MaxNameLength = 40;

    private readonly List<string> _names = [];
    private int _unlisted;

    public IReadOnlyList<string> Names => _names;

    public int Count => _names.Count + _unlisted;

    /// <summary>
    /// A client's property name as it may be repeated: lower-case letters and underscores, as
    /// every OpenAI and vendor parameter is named. Anything else (digits, capitals, punctuation:
    /// everything a key, a card number or an address needs) becomes <c>(unnamed)</c>, so
    /// neither the header nor the audit log ever repeats data hidden in a property name.
    /// </summary>
    public static string Name(string name)
    {
        if (name.Length is 0 or > MaxNameLength || name.StartsWith("sk_", StringComparison.Ordinal) || name.StartsWith("rk_", StringComparison.Ordinal))
        {
            return "(unnamed)";
        }

        foreach (var c in name)
        {
            if (c is not ((>= 'a' and <= 'z') or '_'))
            {
                return "(unnamed)";
            }
        }

        return name;
    }

    public void Add(string path)
    {
        if (_names.Contains(path, StringComparer.Ordinal))
        {
            return;
        }

        if (_names.Count < MaxListed)
        {
            _names.Add(path);
        }
        else
        {
            _unlisted++;
        }
    }

    /// <summary>The header value: the names, comma-separated; null when nothing was dropped.</summary>
    public static string? HeaderValue(IReadOnlyList<string>? names) =>
        names is { Count: > 0 } ? string.Join(", ", names) : null;

    /// <summary>The list as it travels with the call: the names, and "+N more" as its last entry.</summary>
    public IReadOnlyList<string> ToList() => _unlisted == 0 ? [.. _names] : [.. _names, $"+{_unlisted} more"];
}
