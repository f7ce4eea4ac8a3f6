using System.Text;

namespace Synapse.Binding;

/// <summary>
/// A field path as the audit log may record it (a refusal's <c>param</c>): names the gateway knows
/// (<see cref="KnownFieldNames"/>) and array indices, such as <c>messages[2].content[0].image_url.url</c>.
/// The gateway builds its params from its own vocabulary, but a path is text: whatever segment is
/// not a known name is recorded as <c>(unknown)</c>, so no client-chosen string can reach the log
/// through it, whichever code path wrote it.
/// </summary>
public static class FieldPath
{
    public const string Unknown = "(unknown)";

    /// <summary>More segments than this are not a path the gateway writes.</summary>
    private const int MaxSegments = 16;

    /// <summary>The path with every segment that is not a known name (plus indices) replaced; null for none.</summary>
    public static string? ForAudit(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return null;
        }

        var segments = path.Split('.');
        if (segments.Length > MaxSegments)
        {
            return Unknown;
        }

        var recorded = new StringBuilder(path.Length);
        foreach (var segment in segments)
        {
            if (recorded.Length > 0)
            {
                recorded.Append('.');
            }

            recorded.Append(IsKnownSegment(segment) ? segment : Unknown);
        }

        return recorded.ToString();
    }

    /// <summary>A known name followed by any number of <c>[digits]</c>.</summary>
    private static bool IsKnownSegment(string segment)
    {
        var bracket = segment.IndexOf('[', StringComparison.Ordinal);
        var name = bracket < 0 ? segment : segment[..bracket];
        if (!KnownFieldNames.Contains(name))
        {
            return false;
        }

        for (var i = name.Length; i < segment.Length;)
        {
            if (segment[i] != '[')
            {
                return false;
            }

            var digits = ++i;
            while (i < segment.Length && char.IsAsciiDigit(segment[i]))
            {
                i++;
            }

            if (i == digits || i - digits > 9 || i >= segment.Length || segment[i] != ']')
            {
                return false;
            }

            i++;
        }

        return true;
    }
}
