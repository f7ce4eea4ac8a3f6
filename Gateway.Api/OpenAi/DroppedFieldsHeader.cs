using Synapse.Binding;
using Synapse.Grains.Interfaces.Requests;

namespace Synapse.Gateway.OpenAi;

/// <summary><c>x-synapse-dropped-fields</c>: what the binding left out of an admitted request, by name.</summary>
internal static class DroppedFieldsHeader
{
    public static void Write(HttpResponse response, Admission verdict) => Write(response, verdict.DroppedFields);

    public static void Write(HttpResponse response, IReadOnlyList<string>? dropped)
    {
        if (DroppedFields.HeaderValue(dropped) is { } names)
        {
            response.Headers[DroppedFields.HeaderName] = names;
        }
    }
}
