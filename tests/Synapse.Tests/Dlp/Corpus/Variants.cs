using System.Text;

namespace Synapse.Tests.Dlp.Corpus;

/// <summary>Evasion-style rewrites of a value: full-width forms, zero-width characters, Unicode separators.</summary>
internal static class Variants
{
    public static string FullWidth(string value)
    {
        var builder = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            builder.Append(c is > ' ' and <= '~' ? (char)(c + 0xFEE0) : c);
        }

        return builder.ToString();
    }

    /// <summary>A zero-width space (or joiner, or soft hyphen) after every character.</summary>
    public static string ZeroWidth(string value, char mark = '\u200B')
    {
        var builder = new StringBuilder(value.Length * 2);
        for (var i = 0; i < value.Length; i++)
        {
            builder.Append(value[i]);
            if (i < value.Length - 1)
            {
                builder.Append(mark);
            }
        }

        return builder.ToString();
    }

    /// <summary>No-break spaces and en dashes in place of ASCII separators.</summary>
    public static string UnicodeSeparators(string value) => value.Replace(' ', '\u00A0').Replace('-', '\u2013');

    public static string Group(string digits, params int[] sizes) => Group(digits, ' ', sizes);

    public static string Group(string digits, char separator, params int[] sizes)
    {
        var builder = new StringBuilder();
        var pos = 0;
        foreach (var size in sizes)
        {
            if (pos > 0)
            {
                builder.Append(separator);
            }

            builder.Append(digits, pos, Math.Min(size, digits.Length - pos));
            pos += size;
            if (pos >= digits.Length)
            {
                break;
            }
        }

        if (pos < digits.Length)
        {
            builder.Append(separator).Append(digits, pos, digits.Length - pos);
        }

        return builder.ToString();
    }
}
