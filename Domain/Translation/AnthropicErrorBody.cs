using System.Buffers;
using System.Text.Json;

namespace Synapse.Translation;

/// <summary>Anthropic's error shape: <c>{"type":"error","error":{"type","message"}}</c>.</summary>
public static class AnthropicErrorBody
{
    public static void Write(Utf8JsonWriter writer, string type, string message)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteString("type", "error");
        writer.WriteStartObject("error");
        writer.WriteString("type", type);
        writer.WriteString("message", message);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    public static byte[] ToUtf8(string type, string message)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, type, message);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Anthropic's error type for an HTTP status, as its API reference lists them.</summary>
    public static string TypeOf(int status) => status switch
    {
        400 => "invalid_request_error",
        401 => "authentication_error",
        403 => "permission_error",
        404 => "not_found_error",
        413 => "request_too_large",
        415 => "invalid_request_error",
        429 => "rate_limit_error",
        503 or 529 => "overloaded_error",
        504 => "timeout_error",
        _ => "api_error",
    };
}
