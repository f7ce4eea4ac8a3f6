using Synapse.Gateway.OpenAi;
using Synapse.Grains.Interfaces.Keys;
using Synapse.Grains.Interfaces.Requests;
using Synapse.Requests;

namespace Synapse.Gateway.ClientApis;

/// <summary>
/// The front end of <c>/v1/messages</c> and <c>/v1/responses</c>: the same steps as
/// <see cref="OpenAiProxy"/> (<see cref="FrontEndSteps"/>: key, body, the key grain's
/// <c>Send</c>/<c>Stream</c>, 503 when the cluster is lost) answering in the client API's shape,
/// with the client's body handed over as it came (the key grain translates it once into the
/// internal request) and the filtered answer translated back.
/// </summary>
internal sealed class TranslatingProxy(IGrainFactory grains, FrontEndSteps steps)
{
    /// <param name="countTokens">Messages' <c>count_tokens</c>: answered by the key grain, no provider call.</param>
    public async Task HandleAsync(HttpContext context, ClientApiShape shape, bool countTokens = false)
    {
        var writeError = shape.WriteErrorAsync;
        var request = countTokens
            ? steps.Begin(context, RequestOperation.CountTokens, ClientApi.MessagesCountTokens, out var startedAt)
            : steps.Begin(context, RequestOperation.ChatCompletions, shape.Api, out startedAt);
        if (await steps.ResolveKeyAsync(context, request, shape.ReadKey(context.Request), startedAt, writeError) is not (string keyId, string secretHash)
            || await steps.ReadBodyAsync(context, request, keyId, startedAt, writeError) is not { } body)
        {
            return;
        }

        request = request with { PresentedSecretSha256 = secretHash, Body = body };
        var key = grains.GetGrain<IApiKeyGrain>(keyId);
        if (countTokens)
        {
            // {"input_tokens":N}, already in Anthropic's shape.
            if (await steps.SendAsync(context, resent => key.Send(request with { Resent = resent }), request, keyId, startedAt, writeError) is { } counted)
            {
                context.Response.ContentType = "application/json";
                await context.Response.Body.WriteAsync(counted.Body, context.RequestAborted);
            }

            return;
        }

        if (TopLevelJson.IsStreamed(body))
        {
            await ServerSentEvents.RelayAsync(context, steps.Cluster, (resent, stop) => key.Stream(request with { Resent = resent }, stop), startedAt, () => steps.AnswerUnavailableAsync(context, request, keyId, startedAt, writeError), new TranslatedStreamFormat(shape, shape.OpenStream(request.RequestId, string.Empty)));
            return;
        }

        if (await steps.SendAsync(context, resent => key.Send(request with { Resent = resent }), request, keyId, startedAt, writeError) is not { } reply)
        {
            return;
        }

        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(shape.TranslateAnswer(reply.Body!, request.RequestId), context.RequestAborted);
    }
}
