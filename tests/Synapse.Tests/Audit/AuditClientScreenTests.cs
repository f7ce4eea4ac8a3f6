using Microsoft.Extensions.Time.Testing;
using Synapse.Audit;
using Synapse.Dlp.Gateway;
using Synapse.Grains.Interfaces.Dlp;
using Synapse.Tests.Infrastructure;
using Synapse.Grains.Interfaces.Audit;

namespace Synapse.Tests.Audit;

/// <summary>
/// The client's own text in an audit row (the model it asked for, its user agent) is screened by
/// DLP before the row is chained: data a prompt scan finds never reaches the log, ordinary text
/// passes as it came.
/// </summary>
public sealed class AuditClientScreenTests
{
    private static readonly AuditClientScreen Screen = new();

    private static readonly AuditRecord Record = AuditRecord.Create(AuditEventKind.Rejection, "model_not_allowed", DateTimeOffset.UnixEpoch);

    [Theory]
    [InlineData("4111 1111 1111 1111", "[REDACTED:CREDIT_CARD]")]
    [InlineData("gpt-4o for jane.doe@example.com", "gpt-4o for [REDACTED:EMAIL]")]
    [InlineData("DE89 3704 0044 0532 0130 00", "[REDACTED:IBAN]")]
    public void AModelName_WithDataInIt_IsStoredMasked(string model, string stored)
    {
        var normalized = AuditRecordValidator.Normalize(Record with { Model = model }, Screen);

        Assert.Equal(stored, normalized.Model);
    }

    [Fact]
    public void AUserAgent_WithDataInIt_IsStoredMasked()
    {
        var normalized = AuditRecordValidator.Normalize(Record with { UserAgent = "billing/2.1 (contact ops.lead@example.com)" }, Screen);

        Assert.Equal("billing/2.1 (contact [REDACTED:EMAIL])", normalized.UserAgent);
    }

    [Theory]
    [InlineData("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36")]
    [InlineData("OpenAI/Python 1.54.3")]
    [InlineData("llama3.1:8b-instruct-q4_K_M")]
    [InlineData("meta-llama/Llama-3.1-70B-Instruct")]
    public void OrdinaryText_IsStoredAsItCame(string text)
    {
        var normalized = AuditRecordValidator.Normalize(Record with { Model = text, UserAgent = text }, Screen);

        Assert.Equal(text, normalized.Model);
        Assert.Equal(text, normalized.UserAgent);
    }

    [Fact]
    public void AMaskLongerThanItsFinding_StillFitsTheField()
    {
        var model = string.Concat(Enumerable.Repeat("a@b.example ", 21)).TrimEnd();
        Assert.True(model.Length <= AuditRecordValidator.MaxFieldLength);

        var normalized = AuditRecordValidator.Normalize(Record with { Model = model }, Screen);

        Assert.Equal(AuditRecordValidator.MaxFieldLength, normalized.Model!.Length);
        Assert.DoesNotContain("@", normalized.Model, StringComparison.Ordinal);
    }

    [Fact]
    public void TheSameText_IsScreenedTheSameEachTime()
    {
        var first = AuditRecordValidator.Normalize(Record with { UserAgent = "app (me@corp.example)" }, Screen);
        var again = AuditRecordValidator.Normalize(Record with { UserAgent = "app (me@corp.example)" }, Screen);

        Assert.Equal("app ([REDACTED:EMAIL])", first.UserAgent);
        Assert.Equal(first.UserAgent, again.UserAgent);
    }

    [Fact]
    public async Task TheAdminsCustomCategories_AreScreenedToo_WhateverTheirAction_FromThePolicyThisProcessRead()
    {
        var clock = new FakeTimeProvider();
        var source = new InMemoryDlpPolicySource(new DlpCustomCategoryDocument("project_code", @"PRJ-\d{6}", "off", 10));
        var cache = new DlpScannerCache(source, clock);
        var screen = new AuditClientScreen(cache);
        await cache.GlobalPolicyAsync();

        Assert.Equal("billing ([REDACTED:PROJECT_CODE])", screen.Screen("billing (PRJ-123456)"));
        Assert.Equal("gpt-4o for [REDACTED:EMAIL]", screen.Screen("gpt-4o for jane.doe@example.com"));

        // A new policy reaches the screen with the next read, and what the old one passed is screened again.
        source.Categories = [new DlpCustomCategoryDocument("ticket", @"TKT-\d{4}", "redact", 8)];
        source.Version = 2;
        clock.Advance(DlpScannerCache.RefreshInterval);
        screen.Screen("warm-up");
        Assert.Equal("app [REDACTED:TICKET]", screen.Screen("app TKT-1234"));
        Assert.Equal("billing (PRJ-123456)", screen.Screen("billing (PRJ-123456)"));
    }

    [Fact]
    public void APolicyNotYetRead_OrUnreachable_LeavesTheBuiltInCategories_AndNeverFailsTheRow()
    {
        var source = new InMemoryDlpPolicySource { Reachable = false };
        var screen = new AuditClientScreen(new DlpScannerCache(source, new FakeTimeProvider()));

        Assert.Equal("app ([REDACTED:EMAIL])", screen.Screen("app (me@corp.example)"));
        Assert.Equal("app PRJ-123456", screen.Screen("app PRJ-123456"));
        Assert.Equal(1, source.Reads);

        // Asked again at once: no second read until the retry interval has passed.
        screen.Screen("another text");
        Assert.Equal(1, source.Reads);
    }
}
