using System.Globalization;
using System.Text.Json.Serialization;
using Synapse.Gateway.OpenAi;

namespace Synapse.Gateway.ClientApis;

/// <summary>
/// Anthropic's Models API on the same paths as OpenAI's (<c>GET /v1/models</c>,
/// <c>GET /v1/models/{model}</c>): chosen by the <c>anthropic-version</c> header, which Anthropic's
/// SDKs send on every call and OpenAI's never do. The list is the key's allowlist in its order,
/// paged as Anthropic pages (<c>limit</c>, <c>after_id</c>, <c>before_id</c>). The gateway knows no
/// release dates or display names: <c>created_at</c> is the Unix epoch and the name is the id.
/// </summary>
internal static partial class AnthropicModels
{
    public const string VersionHeader = "anthropic-version";

    private const int DefaultLimit = 20;
    private const int MaxLimit = 1000;
    private const string Epoch = "1970-01-01T00:00:00Z";

    /// <summary>The page a list asks for: its size and its cursor (at most one of the two ids).</summary>
    public sealed record Page(int Limit, string? AfterId, string? BeforeId);

    public static readonly Page FirstPage = new(DefaultLimit, null, null);

    public static bool IsAsked(HttpRequest request) => request.Headers.ContainsKey(VersionHeader);

    /// <summary>The page the query asks for, or the error that says what in it is wrong.</summary>
    public static OpenAiError? ReadPage(IQueryCollection query, out Page page)
    {
        page = FirstPage;
        var limit = DefaultLimit;
        if (query.TryGetValue("limit", out var given)
            && (given.Count != 1 || !int.TryParse(given[0], NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxLimit))
        {
            return OpenAiError.BadRequest($"Give a whole number from 1 to {MaxLimit}.", "limit");
        }

        var after = LastValue(query, "after_id");
        var before = LastValue(query, "before_id");
        if (after is not null && before is not null)
        {
            return OpenAiError.BadRequest("Give after_id or before_id, not both.", "before_id");
        }

        page = new Page(limit, after, before);
        return null;
    }

    /// <summary>
    /// One page of <paramref name="models"/>. A cursor that is not one of them (the key's list
    /// changed, or it never was) gives an empty last page: the request was served as a listing,
    /// and is audited so.
    /// </summary>
    public static ModelPage List(IReadOnlyList<string> models, Page page)
    {
        var (start, end) = (0, models.Count);
        if (page.AfterId is { } after)
        {
            var at = IndexOf(models, after);
            start = at < 0 ? models.Count : at + 1;
        }
        else if (page.BeforeId is { } before)
        {
            end = Math.Max(0, IndexOf(models, before));
            start = Math.Max(0, end - page.Limit);
        }

        end = Math.Min(end, start + page.Limit);
        var taken = models.Skip(start).Take(end - start).Select(Describe).ToList();
        var more = page.BeforeId is null ? end < models.Count : start > 0;
        return new ModelPage(taken, more, taken.FirstOrDefault()?.Id, taken.LastOrDefault()?.Id);
    }

    public static Model Describe(string id) => new("model", id, id, Epoch);

    // A cursor given twice: the last one counts.
    private static string? LastValue(IQueryCollection query, string name) =>
        query.TryGetValue(name, out var values) && values.Count > 0 && values[^1] is { Length: > 0 } value ? value : null;

    private static int IndexOf(IReadOnlyList<string> models, string id)
    {
        for (var i = 0; i < models.Count; i++)
        {
            if (string.Equals(models[i], id, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    public sealed record Model(
        [property: JsonPropertyName("type")] string Type,
        [property: JsonPropertyName("id")] string Id,
        [property: JsonPropertyName("display_name")] string DisplayName,
        [property: JsonPropertyName("created_at")] string CreatedAt);

    public sealed record ModelPage(
        [property: JsonPropertyName("data")] IReadOnlyList<Model> Data,
        [property: JsonPropertyName("has_more")] bool HasMore,
        [property: JsonPropertyName("first_id")] string? FirstId,
        [property: JsonPropertyName("last_id")] string? LastId);

    [JsonSerializable(typeof(Model))]
    [JsonSerializable(typeof(ModelPage))]
    internal sealed partial class AnthropicJsonContext : JsonSerializerContext;
}
