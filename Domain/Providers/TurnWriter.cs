using System.Text.Json;

namespace Synapse.Providers;

/// <summary>
/// Writes conversation turns for providers that want strictly alternating roles (Anthropic's
/// <c>content</c> blocks, Gemini's <c>parts</c>): a turn opens lazily, so an empty message makes no
/// empty turn, and consecutive messages of one role merge into one turn.
/// </summary>
internal struct TurnWriter(Utf8JsonWriter writer, JsonEncodedText itemsProperty)
{
    private string? _role;

    /// <summary>The writer, inside an open items array of a turn of <paramref name="role"/>.</summary>
    public Utf8JsonWriter Item(string role)
    {
        if (_role != role)
        {
            Close();
            writer.WriteStartObject();
            writer.WriteString("role"u8, role);
            writer.WriteStartArray(itemsProperty);
            _role = role;
        }

        return writer;
    }

    public void Close()
    {
        if (_role is not null)
        {
            writer.WriteEndArray();
            writer.WriteEndObject();
            _role = null;
        }
    }
}
