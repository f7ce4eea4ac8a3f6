using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Synapse.Dlp.Engine;

namespace Synapse.Dlp.Detection;

/// <summary>
/// IPv4 dotted quads (octets 0–255, no leading zeros, not part of a longer dotted run) with an
/// optional CIDR prefix length (<c>/0</c>–<c>/32</c>), and IPv6 addresses in every RFC 4291 §2.2 text
/// form — full, compressed (also ending in <c>::</c>), with an embedded IPv4 tail — validated by
/// <see cref="IPAddress.TryParse(ReadOnlySpan{char}, out IPAddress?)"/>, with an optional zone id
/// (RFC 4007 §11, <c>%eth0</c>, or RFC 6874's <c>%25eth0</c>) and prefix length (<c>/0</c>–<c>/128</c>).
/// An IPv6 candidate needs two colons and a decimal digit (or all eight groups), so code such as
/// <c>Abc::Def</c> or <c>cafe::</c> is not an address, nor is the bare unspecified address <c>::</c>.
/// A dotted quad right after "version", "build", "release" and the like is a version number, not an
/// address, and is skipped.
/// </summary>
internal sealed class IpAddressDetector() : DlpDetector(DlpCategories.IpAddress)
{
    // The longest IPv6 text form (IPv4-mapped, fully expanded) is 45 characters.
    private const int MaxV6 = 45;

    // "%" and an interface name (Linux allows 15 characters; "%25" adds two).
    private const int MaxZone = 20;

    // "/128".
    private const int MaxPrefixLength = 4;

    private static readonly SearchValues<char> V6Chars = SearchValues.Create("0123456789abcdefABCDEF:.");
    private static readonly ContextWords VersionContext = new("version", "ver.", "build", "release", "firmware", "assembly", "sdk", "update", "upgrade");

    public override void Detect(ReadOnlySpan<char> text, int from, CandidateSink sink)
    {
        DetectV4(text, from, sink);
        sink.Budget.Check();
        DetectV6(text, from, sink);
    }

    public override int PendingStart(ReadOnlySpan<char> text)
    {
        var pending = AddressPendingStart(text);

        // A zone id or prefix length may still be growing after a complete address.
        var suffix = CharClass.TrailingRunStart(text, c => IsZoneChar(c) || c is '%' or '/', MaxZone + MaxPrefixLength + 1);
        var marker = text[suffix..].IndexOfAny('%', '/');
        if (marker >= 0)
        {
            var before = AddressPendingStart(text[..(suffix + marker)]);
            if (before < suffix + marker)
            {
                pending = Math.Min(pending, before);
            }
        }

        return pending;
    }

    public override DlpExplanation Explain(ReadOnlySpan<char> text, int start, int end)
    {
        var match = text[start..end];
        if (!match.Contains(':'))
        {
            var cidr = match.Contains('/') ? " with a CIDR prefix length" : string.Empty;
            return new DlpExplanation("ip_address.v4", $"IPv4 dotted quad, four octets 0–255 without leading zeros{cidr}");
        }

        var extras = (match.Contains('%') ? ", zone id" : string.Empty) + (match.Contains('/') ? ", prefix length" : string.Empty);
        return new DlpExplanation("ip_address.v6", $"IPv6 address valid for IPAddress.TryParse{extras}");
    }

    private static int AddressPendingStart(ReadOnlySpan<char> text)
    {
        var run = CharClass.TrailingRunStart(text, IsV6Char, MaxV6 + 2);
        var pending = text.Length;

        // An address can only start where the run starts after a non-word character.
        var runCanStart = run == 0 || !(CharClass.IsWordChar(text[run - 1]) || IsV6Char(text[run - 1]));

        // IPv4 may start after the last colon (::ffff:192.0.2.1) or at the run start.
        var lastColon = text[run..].LastIndexOf(':');
        var v4Start = lastColon < 0 ? run : run + lastColon + 1;
        if ((lastColon >= 0 || runCanStart) && IsViableV4(text[v4Start..]))
        {
            pending = CharClass.FirstInRange(text, v4Start, CharClass.IsDigit);
        }

        if (runCanStart && (lastColon >= 0 || text.Length - run <= 4))
        {
            if (IsViableV6(text[run..]))
            {
                pending = Math.Min(pending, run);
            }
        }

        return pending;
    }

    private static void DetectV4(ReadOnlySpan<char> text, int from, CandidateSink sink)
    {
        var i = from;
        for (var d = CharClass.DigitAtOrAfter(text, i); d >= 0; d = CharClass.DigitAtOrAfter(text, i))
        {
            i = NumberRun.SkipChain(text, d, dotsOnly: true);
            if (d > 0 && (CharClass.IsWordChar(text[d - 1]) || text[d - 1] == '.'))
            {
                continue;
            }

            sink.Tick();
            var pos = d;
            var octets = 0;
            while (octets < 4 && TryOctet(text, ref pos))
            {
                octets++;
                if (octets < 4)
                {
                    if (pos >= text.Length || text[pos] != '.')
                    {
                        break;
                    }

                    pos++;
                }
            }

            if (octets == 4 && EndsAlone(text, pos) && !VersionContext.AnyBefore(text, d, 24))
            {
                var end = PrefixLengthEnd(text, pos, 32);
                sink.Add(d, end);
                i = end;
            }
        }
    }

    private static void DetectV6(ReadOnlySpan<char> text, int from, CandidateSink sink)
    {
        var i = from;
        while (i < text.Length)
        {
            var found = text[i..].IndexOf(':');
            if (found < 0)
            {
                return;
            }

            var colon = i + found;
            var start = colon;
            while (start > 0 && colon - start < MaxV6 && IsV6Char(text[start - 1]))
            {
                start--;
            }

            var end = colon + 1;
            while (end < text.Length && end - start <= MaxV6 && IsV6Char(text[end]))
            {
                end++;
            }

            if (end - start > MaxV6 || (start > 0 && IsV6Char(text[start - 1])))
            {
                // Longer than any address: skip the whole run at once (keeps hostile ":::…" linear).
                var runEnd = text[end..].IndexOfAnyExcept(V6Chars);
                i = runEnd < 0 ? text.Length : end + runEnd;
                continue;
            }

            i = end;
            if (start < from || (start > 0 && CharClass.IsWordChar(text[start - 1])))
            {
                continue;
            }

            sink.Tick();

            // A sentence may end right after the address; a trailing "::" is part of a compressed one.
            var trimmed = end;
            while (trimmed > start && text[trimmed - 1] == '.')
            {
                trimmed--;
            }

            if (trimmed > start && text[trimmed - 1] == ':' && !(trimmed - 2 > start && text[trimmed - 2] == ':'))
            {
                trimmed--;
            }

            if (end < text.Length && CharClass.IsWordChar(text[end]))
            {
                continue;
            }

            var candidate = text[start..trimmed];
            if (IsV6(candidate))
            {
                var matchEnd = trimmed;
                if (trimmed == end)
                {
                    matchEnd = ZoneEnd(text, matchEnd);
                    matchEnd = PrefixLengthEnd(text, matchEnd, 128);
                }

                sink.Add(start, matchEnd);
                i = Math.Max(i, matchEnd);
            }
        }
    }

    /// <summary>
    /// Two or more colons, a decimal digit somewhere (or all eight groups written out), and a valid
    /// address for <see cref="IPAddress.TryParse(ReadOnlySpan{char}, out IPAddress?)"/>.
    /// </summary>
    private static bool IsV6(ReadOnlySpan<char> candidate) =>
        candidate.Count(':') >= 2 && candidate.ContainsAnyExcept(':')
        && (candidate.ContainsAnyInRange('0', '9') || (candidate.Count(':') == 7 && !candidate.Contains("::", StringComparison.Ordinal)))
        && IPAddress.TryParse(candidate, out var address) && address.AddressFamily == AddressFamily.InterNetworkV6;

    /// <summary>Past a zone id (<c>%eth0</c>, <c>%25en1</c>, <c>%3</c>) at <paramref name="pos"/>, or <paramref name="pos"/>.</summary>
    private static int ZoneEnd(ReadOnlySpan<char> text, int pos)
    {
        if (pos >= text.Length || text[pos] != '%')
        {
            return pos;
        }

        var end = pos + 1;
        while (end < text.Length && end - pos <= MaxZone && IsZoneChar(text[end]))
        {
            end++;
        }

        while (end > pos + 1 && text[end - 1] is '.' or '-')
        {
            end--;
        }

        return end > pos + 1 && end - pos <= MaxZone && !(end < text.Length && CharClass.IsWordChar(text[end])) ? end : pos;
    }

    /// <summary>Past a prefix length <c>/n</c> (n ≤ <paramref name="max"/>) at <paramref name="pos"/>, or <paramref name="pos"/>.</summary>
    private static int PrefixLengthEnd(ReadOnlySpan<char> text, int pos, int max)
    {
        if (pos + 1 >= text.Length || text[pos] != '/' || !CharClass.IsDigit(text[pos + 1]))
        {
            return pos;
        }

        var end = CharClass.SkipDigits(text, pos + 1);
        var digits = end - pos - 1;
        if (digits > 3 || (end < text.Length && (CharClass.IsWordChar(text[end]) || text[end] == '/')))
        {
            return pos;
        }

        var value = 0;
        foreach (var c in text[(pos + 1)..end])
        {
            value = (value * 10) + (c - '0');
        }

        return value <= max && !(digits > 1 && text[pos + 1] == '0') ? end : pos;
    }

    private static bool IsZoneChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.';

    private static bool TryOctet(ReadOnlySpan<char> text, ref int pos)
    {
        var start = pos;
        var value = 0;
        while (pos < text.Length && pos - start < 3 && CharClass.IsDigit(text[pos]))
        {
            value = (value * 10) + (text[pos++] - '0');
        }

        var length = pos - start;
        if (length == 0 || value > 255 || (length > 1 && text[start] == '0'))
        {
            return false;
        }

        return pos >= text.Length || !CharClass.IsDigit(text[pos]);
    }

    private static bool EndsAlone(ReadOnlySpan<char> text, int end)
    {
        if (end >= text.Length)
        {
            return true;
        }

        if (CharClass.IsWordChar(text[end]))
        {
            return false;
        }

        return !(text[end] == '.' && end + 1 < text.Length && CharClass.IsDigit(text[end + 1]));
    }

    private static bool IsV6Char(char c) => char.IsAsciiHexDigit(c) || c is ':' or '.';

    /// <summary>Digits and dots that could still grow into a dotted quad.</summary>
    private static bool IsViableV4(ReadOnlySpan<char> rest)
    {
        if (rest.IsEmpty || !CharClass.IsDigit(rest[0]))
        {
            return false;
        }

        var parts = 1;
        var partLength = 0;
        foreach (var c in rest)
        {
            if (c == '.')
            {
                // A dot after the fourth octet still matters: "1.2.3.4.5" is not an address.
                if (partLength == 0 || ++parts > 5)
                {
                    return false;
                }

                partLength = 0;
            }
            else if (CharClass.IsDigit(c))
            {
                if (++partLength > 3)
                {
                    return false;
                }
            }
            else
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Colon-separated hex groups of at most four digits (an IPv4 tail allowed) that could still grow into an IPv6 address.</summary>
    private static bool IsViableV6(ReadOnlySpan<char> rest)
    {
        var groupLength = 0;
        var sawDot = false;
        foreach (var c in rest)
        {
            if (c == ':')
            {
                if (sawDot)
                {
                    return false;
                }

                groupLength = 0;
            }
            else if (c == '.')
            {
                sawDot = true;
                groupLength = 0;
            }
            else if (++groupLength > 4)
            {
                return false;
            }
        }

        return rest.Length <= MaxV6 + 1;
    }
}
