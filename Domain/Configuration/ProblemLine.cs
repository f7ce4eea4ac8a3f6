namespace Synapse.Configuration;

/// <summary>
/// Settings problems as the one line a start that fails prints: each a sentence ending in its
/// own full stop (one is added where a message has none), separated by a space. Joining them with
/// "; " after their full stops printed "…front end).; Set Synapse:Admin:Token…".
/// </summary>
public static class ProblemLine
{
    public static string Join(IEnumerable<string> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        return string.Join(" ", problems.Select(p => p.Trim()).Where(p => p.Length > 0).Select(Sentence));
    }

    private static string Sentence(string problem) => problem[^1] is '.' or '!' or '?' ? problem : problem + ".";
}
