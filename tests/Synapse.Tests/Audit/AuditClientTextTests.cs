using Synapse.Audit;
using Synapse.Grains.Interfaces.Audit;

namespace Synapse.Tests.Audit;

/// <summary>
/// The client's own text in an audit row (the model it asked for, its user agent) is screened by
/// DLP before the row is chained: data a prompt scan finds never reaches the log, ordinary text
/// passes as it came.
/// </summary>
public sealed class AuditClientTextTests
{
    private static readonly AuditRecord Record = AuditRecord.Create(AuditEventKind.Rejection, "model_not_allowed", DateTimeOffset.UnixEpoch);

    [Theory]
    [InlineData("4111 1111 1111 1111", "[REDACTED:CREDIT_CARD]")]
    [InlineData("gpt-4o for jane.doe@example.com", "gpt-4o for [REDACTED:EMAIL]")]
    [InlineData("DE89 3704 0044 0532 0130 00", "[REDACTED:IBAN]")]
    public void AModelName_WithDataInIt_IsStoredMasked(string model, string stored)
    {
        var normalized = AuditRecordValidator.Normalize(Record with { Model = model });

        Assert.Equal(stored, normalized.Model);
    }

    [Fact]
    public void AUserAgent_WithDataInIt_IsStoredMasked()
    {
        var normalized = AuditRecordValidator.Normalize(Record with { UserAgent = "billing/2.1 (contact ops.lead@example.com)" });

        Assert.Equal("billing/2.1 (contact [REDACTED:EMAIL])", normalized.UserAgent);
    }

    [Theory]
    [InlineData("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36")]
    [InlineData("OpenAI/Python 1.54.3")]
    [InlineData("llama3.1:8b-instruct-q4_K_M")]
    [InlineData("meta-llama/Llama-3.1-70B-Instruct")]
    public void OrdinaryText_IsStoredAsItCame(string text)
    {
        var normalized = AuditRecordValidator.Normalize(Record with { Model = text, UserAgent = text });

        Assert.Equal(text, normalized.Model);
        Assert.Equal(text, normalized.UserAgent);
    }

    [Fact]
    public void AMaskLongerThanItsFinding_StillFitsTheField()
    {
        var model = string.Concat(Enumerable.Repeat("a@b.example ", 21)).TrimEnd();
        Assert.True(model.Length <= AuditRecordValidator.MaxFieldLength);

        var normalized = AuditRecordValidator.Normalize(Record with { Model = model });

        Assert.Equal(AuditRecordValidator.MaxFieldLength, normalized.Model!.Length);
        Assert.DoesNotContain("@", normalized.Model, StringComparison.Ordinal);
    }

    [Fact]
    public void TheSameText_IsScreenedTheSameEachTime()
    {
        var first = AuditRecordValidator.Normalize(Record with { UserAgent = "app (me@corp.example)" });
        var again = AuditRecordValidator.Normalize(Record with { UserAgent = "app (me@corp.example)" });

        Assert.Equal("app ([REDACTED:EMAIL])", first.UserAgent);
        Assert.Equal(first.UserAgent, again.UserAgent);
    }
}
