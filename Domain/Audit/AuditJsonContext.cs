using System.Text.Json.Serialization;

namespace Synapse.Audit;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(AuditCheckpoint))]
[JsonSerializable(typeof(AuditVerificationResult))]
internal sealed partial class AuditJsonContext : JsonSerializerContext;
