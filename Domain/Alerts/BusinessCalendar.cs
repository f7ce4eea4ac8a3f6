using System.Globalization;

namespace Synapse.Alerts;

/// <summary>Business hours and days in one time zone, parsed from <see cref="AlertOptions"/>.</summary>
public sealed class BusinessCalendar
{
    private static readonly string[] DayNames = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

    private readonly TimeOnly _open;
    private readonly TimeOnly _close;
    private readonly bool[] _days;
    private readonly TimeZoneInfo _zone;

    private BusinessCalendar(TimeOnly open, TimeOnly close, bool[] days, TimeZoneInfo zone)
    {
        _open = open;
        _close = close;
        _days = days;
        _zone = zone;
    }

    /// <summary>Parses the settings; every problem is one message naming its setting.</summary>
    public static BusinessCalendar? TryParse(AlertOptions options, List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(errors);
        var count = errors.Count;
        var (open, close) = ParseHours(options.BusinessHours, errors);
        var days = ParseDays(options.BusinessDays, errors);
        TimeZoneInfo? zone = null;
        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(options.TimeZone);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentException)
        {
            errors.Add($"{AlertOptions.SectionName}:TimeZone '{options.TimeZone}' is not a known time zone id (use an IANA id such as Europe/Berlin).");
        }

        return errors.Count == count ? new BusinessCalendar(open, close, days, zone!) : null;
    }

    public bool IsBusinessTime(DateTimeOffset time)
    {
        var local = TimeZoneInfo.ConvertTime(time, _zone);
        var clock = TimeOnly.FromDateTime(local.DateTime);
        if (_open <= _close)
        {
            return _days[(int)local.DayOfWeek] && clock >= _open && clock < _close;
        }

        // A range that wraps midnight belongs to the day it opened on.
        return clock >= _open
            ? _days[(int)local.DayOfWeek]
            : clock < _close && _days[((int)local.DayOfWeek + 6) % 7];
    }

    private static (TimeOnly Open, TimeOnly Close) ParseHours(string text, List<string> errors)
    {
        var parts = (text ?? "").Split('-', StringSplitOptions.TrimEntries);
        if (parts.Length == 2
            && TimeOnly.TryParseExact(parts[0], "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var open)
            && TimeOnly.TryParseExact(parts[1], "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var close)
            && open != close)
        {
            return (open, close);
        }

        errors.Add($"{AlertOptions.SectionName}:BusinessHours '{text}' must be HH:mm-HH:mm with different ends, e.g. 08:00-18:00.");
        return default;
    }

    private static bool[] ParseDays(string text, List<string> errors)
    {
        var days = new bool[7];
        foreach (var item in (text ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var range = item.Split('-', StringSplitOptions.TrimEntries);
            var first = Day(range[0]);
            var last = range.Length == 2 ? Day(range[1]) : first;
            if (range.Length > 2 || first < 0 || last < 0)
            {
                errors.Add($"{AlertOptions.SectionName}:BusinessDays '{text}' must list days or ranges such as Mon-Fri or Mon,Wed,Fri.");
                return days;
            }

            for (var d = first; ; d = (d + 1) % 7)
            {
                days[d] = true;
                if (d == last)
                {
                    break;
                }
            }
        }

        if (!days.Contains(true))
        {
            errors.Add($"{AlertOptions.SectionName}:BusinessDays must name at least one day.");
        }

        return days;
    }

    private static int Day(string name) =>
        name.Length >= 3 ? Array.IndexOf(DayNames, name[..3].ToLowerInvariant()) : -1;
}
