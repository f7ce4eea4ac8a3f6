using Synapse.Audit;
using Synapse.Grains.Audit;
using Synapse.Grains.Interfaces.Audit;
using Synapse.Grains.Interfaces.Providers;

namespace Synapse.Tests.Audit;

internal static class AuditSamples
{
    public static readonly string[] Outcomes =
    [
        AuditOutcomes.Allowed, AuditOutcomes.InvalidKey, AuditOutcomes.ModelNotAllowed, AuditOutcomes.NoRoute, AuditOutcomes.DlpBlocked,
        AuditOutcomes.RateLimited, AuditOutcomes.InvalidRequest, AuditOutcomes.UpstreamError, AuditOutcomes.ResponseFiltered,
        AuditOutcomes.Completed, AuditOutcomes.StreamBroken, AuditOutcomes.ClientCancelled, AuditOutcomes.Succeeded, AuditOutcomes.Failed,
    ];

    /// <summary>A record with every field set (digests of the given texts).</summary>
    public static AuditRecord Full(AuditEventKind kind, string outcome, AuditDigester digester, string prompt = "hello", string response = "hi there") =>
        AuditRecord.Create(kind, outcome, DateTimeOffset.UtcNow) with
        {
            RequestId = "req_" + Guid.NewGuid().ToString("N")[..24],
            KeyId = "key_1",
            TeamId = "team_1",
            Model = "llama3",
            Provider = "local",
            ProviderLocation = ProviderLocation.OnPrem,
            HttpStatus = 200,
            DlpCategories = ["email", "iban"],
            DlpActions = ["redact"],
            PromptSha256 = digester.Prompt(prompt),
            ResponseSha256 = digester.Response(response),
            PromptTokens = 12,
            CompletionTokens = 34,
            LatencyMs = 56,
            Actor = kind == AuditEventKind.Admin ? "admin" : null,
            Action = kind == AuditEventKind.Admin ? "key.create" : null,
            Target = kind == AuditEventKind.Admin ? "key_1" : null,
        };

    public static AuditRecord Simple(int i, string keyId = "key_1", string outcome = AuditOutcomes.Allowed) =>
        AuditRecord.Create(AuditEventKind.Request, outcome, DateTimeOffset.UtcNow) with
        {
            RequestId = "req_" + i.ToString(System.Globalization.CultureInfo.InvariantCulture),
            KeyId = keyId,
            TeamId = "team_1",
            Model = "llama3",
            HttpStatus = 200,
        };

    /// <summary>Compares everything, lists included (records compare lists by reference).</summary>
    public static string Describe(AuditRecord r) => System.Text.Json.JsonSerializer.Serialize(r);
}
