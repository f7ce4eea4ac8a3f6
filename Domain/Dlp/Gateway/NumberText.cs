using System.Text;

namespace Synapse.Dlp.Gateway;

/// <summary>
/// A JSON number as the value it is: <c>4.111111111111111e15</c>, <c>4111111111111111e0</c> and
/// <c>41111111111111110e-1</c> are all 4111111111111111, and a model (or a provider's parser)
/// reads them so — DLP must read that decimal form too, not only the literal's text. The form is
/// exact (written from the literal's own digits and exponent, never through a double, which loses
/// digits past 2^53) and bounded: a number whose plain form would be longer than
/// <see cref="MaxDigits"/> digits (<c>1e999999</c>) has none, and is read as its literal only.
/// </summary>
internal static class NumberText
{
    /// <summary>Longer than any value a detector looks for in digits (a card has 19).</summary>
    public const int MaxDigits = 64;

    /// <summary>The plain decimal form of a JSON number literal, or null when it is the literal itself, is not a number, or would be too long.</summary>
    public static string? Plain(ReadOnlySpan<char> literal)
    {
        var pos = 0;
        var negative = pos < literal.Length && literal[pos] == '-';
        pos += negative ? 1 : 0;
        var intStart = pos;
        while (pos < literal.Length && char.IsAsciiDigit(literal[pos]))
        {
            pos++;
        }

        var integer = literal[intStart..pos];
        var fraction = ReadOnlySpan<char>.Empty;
        if (pos < literal.Length && literal[pos] == '.')
        {
            var fracStart = ++pos;
            while (pos < literal.Length && char.IsAsciiDigit(literal[pos]))
            {
                pos++;
            }

            fraction = literal[fracStart..pos];
        }

        long exponent = 0;
        var hasExponent = pos < literal.Length && literal[pos] is 'e' or 'E';
        if (hasExponent)
        {
            pos++;
            var expNegative = pos < literal.Length && literal[pos] == '-';
            pos += pos < literal.Length && literal[pos] is '+' or '-' ? 1 : 0;
            var expStart = pos;
            while (pos < literal.Length && char.IsAsciiDigit(literal[pos]))
            {
                // Past the bound the value has no plain form anyway: stop counting before it overflows.
                exponent = Math.Min((exponent * 10) + (literal[pos] - '0'), 1_000_000);
                pos++;
            }

            if (pos == expStart)
            {
                return null;
            }

            exponent = expNegative ? -exponent : exponent;
        }

        if (integer.IsEmpty || pos != literal.Length || (fraction.IsEmpty && !hasExponent && literal[^1] != '.'))
        {
            return null;
        }

        // All significant digits, and where the decimal point falls among them.
        var digits = string.Concat(integer, fraction);
        var point = integer.Length + exponent;
        var lead = digits.Length - digits.TrimStart('0').Length;
        digits = digits[lead..];
        point -= lead;
        digits = digits.TrimEnd('0');
        if (digits.Length == 0)
        {
            return "0";
        }

        var width = Math.Max(point, digits.Length) - Math.Min(point, 0);
        if (width > MaxDigits)
        {
            return null;
        }

        var text = new StringBuilder((int)width + 3);
        if (negative)
        {
            text.Append('-');
        }

        if (point <= 0)
        {
            text.Append("0.").Append('0', (int)-point).Append(digits);
        }
        else if (point >= digits.Length)
        {
            text.Append(digits).Append('0', (int)(point - digits.Length));
        }
        else
        {
            text.Append(digits.AsSpan(0, (int)point)).Append('.').Append(digits.AsSpan((int)point));
        }

        return text.ToString();
    }

    /// <summary>
    /// JSON text (a tool call's <c>arguments</c>) with every number outside its strings written in
    /// its plain form; the same instance when no number changes. The same values, so it may be sent
    /// in place of the original.
    /// </summary>
    public static string PlainNumbers(string json)
    {
        StringBuilder? rewritten = null;
        var copied = 0;
        var inString = false;
        for (var i = 0; i < json.Length; i++)
        {
            var c = json[i];
            if (inString)
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == '"')
                {
                    inString = false;
                }

                continue;
            }

            if (c == '"')
            {
                inString = true;
                continue;
            }

            if (!(char.IsAsciiDigit(c) || c == '-'))
            {
                continue;
            }

            var end = i + 1;
            while (end < json.Length && (char.IsAsciiDigit(json[end]) || json[end] is '.' or 'e' or 'E' or '+' or '-'))
            {
                end++;
            }

            if (Plain(json.AsSpan(i, end - i)) is { } plain)
            {
                rewritten ??= new StringBuilder(json.Length + 16);
                rewritten.Append(json, copied, i - copied).Append(plain);
                copied = end;
            }

            i = end - 1;
        }

        return rewritten is null ? json : rewritten.Append(json, copied, json.Length - copied).ToString();
    }
}
