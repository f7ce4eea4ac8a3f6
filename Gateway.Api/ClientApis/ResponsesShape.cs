using Synapse.Gateway.OpenAi;
using Synapse.Grains.Interfaces.Requests;
using Synapse.Translation;

namespace Synapse.Gateway.ClientApis;

/// <summary>OpenAI's Responses API: the key as a bearer token and errors in OpenAI's shape, as on Chat Completions.</summary>
internal sealed class ResponsesShape(TimeProvider time) : ClientApiShape
{
    public override ClientApi Api => ClientApi.Responses;

    public override Task WriteErrorAsync(HttpResponse response, OpenAiError error) => error.WriteAsync(response);

    public override byte[] TranslateAnswer(byte[] chatCompletion, string requestId) =>
        ResponsesAnswerTranslator.Translate(chatCompletion, ResponseId(requestId), time.GetUtcNow().ToUnixTimeSeconds());

    public override IClientStream OpenStream(string requestId, string model) =>
        new Stream(new ResponsesStreamTranslator(ResponseId(requestId), time.GetUtcNow().ToUnixTimeSeconds()));

    private static string ResponseId(string requestId) => "resp_" + requestId["req_".Length..];

    private sealed class Stream(ResponsesStreamTranslator translator) : IClientStream
    {
        public void Chunk(ReadOnlySpan<byte> chunk, SseEventWriter events) => translator.Chunk(chunk, events);

        public void Finish(SseEventWriter events) => translator.Finish(events);

        public void Fail(SseEventWriter events, OpenAiError error) => translator.Error(events, error.Code, error.Message, error.Param);
    }
}
