namespace Synapse.Binding;

/// <summary>
/// The names of what the binding left out of a client's body, for the answer's
/// <c>x-synapse-dropped-fields</c> header and the audit row. Names only, never values, and only
/// names the gateway knows (<see cref="KnownFieldNames"/>): a property name the client made up is
/// client text (<c>patient_john_smith_hiv_positive</c>), so it is counted, not named —
/// <c>(2 unknown)</c>, or <c>messages[0].(1 unknown)</c> inside a message (<see cref="AddClientName"/>).
/// </summary>
public sealed class DroppedFields
{
    public const string HeaderName = "x-synapse-dropped-fields";

    /// <summary>More than this many are summarised as "+N more", so a hostile body cannot grow the header.</summary>
    public const int MaxListed = 32;

    private const int MaxNameLength = 40;

    private readonly List<string> _names = [];

    /// <summary>Per path prefix, where its count of unknown names is listed and the count.</summary>
    private readonly Dictionary<string, (int At, int Count)> _unknown = new(StringComparer.Ordinal);
    private int _unlisted;

    public IReadOnlyList<string> Names => _names;

    public int Count => _names.Count + _unlisted;

    /// <summary>
    /// A client's word as it may be repeated to that client in an error message (a part type it
    /// sent): lower-case letters and underscores, as every OpenAI and vendor parameter is named.
    /// Anything else (digits, capitals, punctuation: everything a key, a card number or an address
    /// needs) becomes <c>(unnamed)</c>. Error messages are not recorded; the audit log and the
    /// header take only known names (<see cref="AddClientName"/>).
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

    /// <summary>Adds a path the gateway wrote itself (a known field it chose not to forward).</summary>
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

    /// <summary>
    /// Adds a property the client sent under <paramref name="prefix"/> (empty at the top level, else
    /// a path ending in a dot, such as <c>messages[0].</c>): named when the gateway knows the name,
    /// else counted under its prefix.
    /// </summary>
    public void AddClientName(string prefix, string name)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        ArgumentNullException.ThrowIfNull(name);
        if (KnownFieldNames.Contains(name))
        {
            Add(prefix + name);
            return;
        }

        if (_unknown.TryGetValue(prefix, out var listed))
        {
            _unknown[prefix] = listed with { Count = listed.Count + 1 };
            _names[listed.At] = Unknown(prefix, listed.Count + 1);
        }
        else if (_names.Count < MaxListed)
        {
            _unknown[prefix] = (_names.Count, 1);
            _names.Add(Unknown(prefix, 1));
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

    private static string Unknown(string prefix, int count) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{prefix}({count} unknown)");
}
