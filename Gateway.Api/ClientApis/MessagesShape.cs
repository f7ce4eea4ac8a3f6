using System.Globalization;
using Synapse.Gateway.OpenAi;
using Synapse.Grains.Interfaces.Requests;
using Synapse.Translation;

namespace Synapse.Gateway.ClientApis;

/// <summary>
/// Anthropic's Messages API: the key in <c>x-api-key</c> (as Anthropic's SDKs send it) or
/// <c>Authorization: Bearer</c> (Claude Code's <c>ANTHROPIC_AUTH_TOKEN</c>); errors in Anthropic's
/// shape with the gateway's status, its code in <c>x-synapse-error-code</c>.
/// </summary>
internal sealed class MessagesShape : ClientApiShape
{
    public const string ErrorCodeHeader = "x-synapse-error-code";

    public static readonly MessagesShape Instance = new();

    public override ClientApi Api => ClientApi.Messages;

    public override string? ReadKey(HttpRequest request) => BearerToken.ReadOr(request, "x-api-key");

    public override async Task WriteErrorAsync(HttpResponse response, OpenAiError error)
    {
        response.StatusCode = error.Status;
        response.ContentType = "application/json";
        if (error.Code is { } code)
        {
            response.Headers[ErrorCodeHeader] = code;
        }

        if (error.RetryAfter is { } wait)
        {
            response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        await response.Body.WriteAsync(AnthropicErrorBody.ToUtf8(AnthropicErrorBody.TypeOf(error.Status), Message(error)));
    }

    /// <summary>
    /// Anthropic's shape has no <c>param</c>, so the message names the field, once, at its start,
    /// as Anthropic writes its own (<c>max_tokens: Field required</c>). The gateway's messages name
    /// their field themselves, quoted (<c>'max_tokens' is required.</c>) or bare
    /// (<c>messages[0].content[1].image_url.url must be …</c>): a leading name is kept, unquoted,
    /// and one further in is left where it is; only a message that does not name the field (a
    /// provider's refusal, a key's own rule) gets it in front.
    /// </summary>
    public static string Message(OpenAiError error)
    {
        if (ReferenceEquals(error, OpenAiError.InvalidApiKey))
        {
            return InvalidKeyMessage;
        }

        if (error.Param is not { Length: > 0 } param)
        {
            return error.Message;
        }

        var message = error.Message;
        var quoted = $"'{param}'";
        if (message.StartsWith(quoted, StringComparison.Ordinal))
        {
            return string.Concat(param, message.AsSpan(quoted.Length));
        }

        return message.StartsWith(param, StringComparison.Ordinal) || message.Contains(quoted, StringComparison.Ordinal)
            ? message
            : $"{param}: {message}";
    }

    private const string InvalidKeyMessage = "Invalid API key. Send a Synapse key as 'x-api-key: <key>' or 'Authorization: Bearer <key>'.";

    public override byte[] TranslateAnswer(byte[] chatCompletion, string requestId) =>
        MessagesAnswerTranslator.Translate(chatCompletion, MessageId(requestId));

    public override IClientStream OpenStream(string requestId, string model) => new Stream(new MessagesStreamTranslator(MessageId(requestId), model));

    private static string MessageId(string requestId) => "msg_" + requestId["req_".Length..];

    private sealed class Stream(MessagesStreamTranslator translator) : IClientStream
    {
        public void Chunk(ReadOnlySpan<byte> chunk, SseEventWriter events) => translator.Chunk(chunk, events);

        public void Finish(SseEventWriter events) => translator.Finish(events);

        public void Fail(SseEventWriter events, OpenAiError error) =>
            MessagesStreamTranslator.Error(events, AnthropicErrorBody.TypeOf(error.Status), Message(error));
    }
}
