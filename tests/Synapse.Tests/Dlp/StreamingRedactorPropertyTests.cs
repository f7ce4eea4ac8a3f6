using Synapse.Dlp;
using Xunit;

namespace Synapse.Tests.Dlp;

/// <summary>
/// What a client receives from a stream equals the one-shot redaction, however the text is chunked,
/// and never contains a match of a block or redact category.
/// </summary>
[Trait("Category", "Slow")]
public sealed class StreamingRedactorPropertyTests
{
    // Block categories redact instead, so the whole stream flows and can be compared.
    private static readonly DlpScanner RedactAll = TestScanners.Create(DlpPolicy.Default.WithOverrides(new Dictionary<string, DlpAction>
    {
        [DlpCategories.Secret] = DlpAction.Redact,
        [DlpCategories.CreditCard] = DlpAction.Redact,
        [DlpCategories.UsSsn] = DlpAction.Redact,
        [DlpCategories.UkNino] = DlpAction.Redact,
    }));

    private static readonly DlpScanner Defaults = TestScanners.Create(DlpPolicy.Default);

    [Fact]
    public void Stream_EveryTwoChunkSplit_EqualsOneShotRedaction()
    {
        foreach (var text in StreamingTexts.Samples.Concat(StreamingTexts.Documents(40, seed: 1)))
        {
            var expected = RedactAll.Scan(text);
            for (var offset = 0; offset <= text.Length; offset++)
            {
                var (output, redactor) = StreamHarness.Run(RedactAll, StreamHarness.SplitAt(text, offset));
                AssertSame(text, expected, output, redactor, $"split at {offset}");
            }
        }
    }

    [Fact]
    public void Stream_RandomChunkings_EqualOneShotRedaction()
    {
        var random = new Random(7);
        foreach (var text in StreamingTexts.Samples.Concat(StreamingTexts.Documents(200, seed: 2)))
        {
            var expected = RedactAll.Scan(text);
            for (var round = 0; round < 8; round++)
            {
                var (output, redactor) = StreamHarness.Run(RedactAll, StreamHarness.RandomChunks(text, random));
                AssertSame(text, expected, output, redactor, $"random round {round}");
            }
        }
    }

    [Fact]
    public void Stream_OneCharacterAtATime_EqualsOneShotRedaction()
    {
        foreach (var text in StreamingTexts.Documents(60, seed: 3))
        {
            var (output, redactor) = StreamHarness.Run(RedactAll, text.Select(c => c.ToString()));
            AssertSame(text, RedactAll.Scan(text), output, redactor, "one char at a time");
        }
    }

    [Fact]
    public void Stream_WithBlockCategories_StopsBeforeTheMatchAndLeaksNothing()
    {
        var random = new Random(11);
        foreach (var text in StreamingTexts.Samples.Concat(StreamingTexts.Documents(100, seed: 4)))
        {
            var expected = Defaults.Scan(text);
            for (var round = 0; round < 4; round++)
            {
                var chunks = round == 0 ? [text] : StreamHarness.RandomChunks(text, random).ToList();
                var (output, redactor) = StreamHarness.Run(Defaults, chunks);
                Assert.Equal(expected.IsBlocked, redactor.IsBlocked);
                if (expected.IsBlocked)
                {
                    Assert.StartsWith(output, StreamHarness.RedactedBeforeFirstBlock(text, expected), StringComparison.Ordinal);
                }
                else
                {
                    Assert.Equal(expected.RedactedText, output);
                }

                AssertNoLeak(output, text);
            }
        }
    }

    private static void AssertSame(string text, DlpScanResult expected, string output, StreamingRedactor redactor, string how)
    {
        if (!string.Equals(expected.RedactedText, output, StringComparison.Ordinal))
        {
            Assert.Fail($"{how}: stream differs.\ntext:     {Escape(text)}\nexpected: {Escape(expected.RedactedText)}\nreceived: {Escape(output)}");
        }

        Assert.Equal(expected.Findings, redactor.Findings);
        AssertNoLeak(output, text);
    }

    /// <summary>No text that a one-shot scan flags as block or redact reaches the client.</summary>
    private static void AssertNoLeak(string output, string text)
    {
        foreach (var finding in Defaults.Scan(text).Findings.Where(f => f.Action >= DlpAction.Redact))
        {
            var matched = text.Substring(finding.Start, finding.Length);
            Assert.False(output.Contains(matched, StringComparison.Ordinal), $"{finding.Category} leaked: {Escape(text)}");
        }
    }

    private static string Escape(string s) => s.Replace("\n", "\\n", StringComparison.Ordinal);
}
