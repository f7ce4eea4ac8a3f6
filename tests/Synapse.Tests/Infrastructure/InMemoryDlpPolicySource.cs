using Synapse.Dlp.Gateway;
using Synapse.Grains.Interfaces.Dlp;

namespace Synapse.Tests.Infrastructure;

/// <summary>The global DLP policy as a test sets it, with a switch for its grain being out of reach and a count of reads.</summary>
internal sealed class InMemoryDlpPolicySource(params DlpCustomCategoryDocument[] categories) : IDlpPolicySource
{
    public IReadOnlyList<DlpCustomCategoryDocument> Categories { get; set; } = categories;

    public bool Reachable { get; set; } = true;

    public long Version { get; set; } = 1;

    public int Reads { get; private set; }

    public Task<DlpPolicyDocument> GetAsync()
    {
        Reads++;
        return Reachable
            ? Task.FromResult(new DlpPolicyDocument(new Dictionary<string, string>(), [.. Categories], Version))
            : Task.FromException<DlpPolicyDocument>(new TimeoutException("The policy grain's silo is gone."));
    }
}
