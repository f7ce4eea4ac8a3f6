using System.Text.Json.Serialization;

namespace Synapse.Audit;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(AuditManifestRecord))]
[JsonSerializable(typeof(AuditLegacyCheckpoint))]
[JsonSerializable(typeof(AuditVerificationResult))]
internal sealed partial class AuditJsonContext : JsonSerializerContext;
