using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace Synapse.Gateway.Admin;

/// <summary>
/// The one rule for every instant the admin API reads — a key's <c>expiresAt</c>, the <c>from</c>
/// and <c>to</c> of <c>/audit</c>, its export and <c>/usage</c>: ISO 8601 with its offset, <c>Z</c>
/// or <c>±hh:mm</c>. A time without one is refused, not read in a time zone: the JSON reader took
/// the server's (under <c>TZ=Asia/Tokyo</c> a key meant to expire at <c>2027-01-01T00:00:00</c>
/// expired nine hours early) while the query strings took UTC, and each was a guess the caller may
/// not have made.
/// </summary>
internal static partial class AdminInstant
{
    /// <summary>What a refused value is told, after "Give ".</summary>
    public const string Rule = "an instant in ISO 8601 with its offset, Z or ±hh:mm, e.g. 2027-03-31T23:59:59Z or 2027-03-31T23:59:59+02:00 (a time without one is not read in any time zone)";

    /// <summary>The instant in UTC, or false for anything but an ISO 8601 date and time with its offset.</summary>
    public static bool TryParse(string? text, out DateTimeOffset instant)
    {
        instant = default;
        return text is not null && WithOffset().IsMatch(text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out instant);
    }

    /// <summary>Date, <c>T</c>, hours and minutes, optional seconds and fraction, then <c>Z</c> or <c>±hh:mm</c>.</summary>
    [GeneratedRegex(@"^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,7})?)?([Zz]|[+-][0-9]{2}:[0-9]{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex WithOffset();

    /// <summary>
    /// Reads request bodies' <see cref="DateTimeOffset"/>s by <see cref="TryParse"/> (a
    /// <c>DateTimeOffset?</c> too); a value it refuses is a <see cref="JsonException"/> whose
    /// message <see cref="AdminJson"/> shows against the field. Writes as the default converter does.
    /// </summary>
    internal sealed class JsonConverter : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.String && TryParse(reader.GetString(), out var instant)
                ? instant
                : throw new RefusedException();

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
        {
            ArgumentNullException.ThrowIfNull(writer);
            writer.WriteStringValue(value);
        }
    }

    /// <summary>A body's instant that is not one: its message is the rule.</summary>
    internal sealed class RefusedException : JsonException
    {
        public RefusedException()
            : base($"Give {Rule}.")
        {
        }

        public RefusedException(string message)
            : base(message)
        {
        }

        public RefusedException(string message, Exception innerException)
            : base(message, innerException)
        {
        }
    }
}
