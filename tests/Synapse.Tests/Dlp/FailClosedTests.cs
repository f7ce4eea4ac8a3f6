using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;
using Synapse.Dlp;
using Xunit;

namespace Synapse.Tests.Dlp;

public sealed class FailClosedTests
{
    [Fact]
    public void Scan_OverBudget_ThrowsBudgetExceeded()
    {
        var clock = new FakeTimeProvider { AutoAdvanceAmount = TimeSpan.FromSeconds(1) };
        var scanner = new DlpScanner(DlpPolicy.Default, new DlpScannerOptions { Budget = TimeSpan.FromMilliseconds(10), TimeProvider = clock });

        var ex = Assert.Throws<DlpScanException>(() => scanner.Scan("card 4111 1111 1111 1111"));
        Assert.Equal(DlpScanFailure.BudgetExceeded, ex.Failure);
        Assert.DoesNotContain("4111", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Stream_OverBudget_ThrowsSoTheCallerEndsTheStream()
    {
        var clock = new FakeTimeProvider { AutoAdvanceAmount = TimeSpan.FromSeconds(1) };
        var redactor = new DlpScanner(DlpPolicy.Default, new DlpScannerOptions { Budget = TimeSpan.FromMilliseconds(10), TimeProvider = clock }).CreateStreamingRedactor();
        Assert.Throws<DlpScanException>(() => redactor.Append("hello"));
    }

    [Fact]
    public void Stream_HoldBackOverLimit_FailsClosed()
    {
        var scanner = new DlpScanner(DlpPolicy.Default.WithOverrides(new Dictionary<string, DlpAction> { [DlpCategories.Secret] = DlpAction.Redact }), new DlpScannerOptions { MaxHoldBack = 64 });
        var redactor = scanner.CreateStreamingRedactor();
        redactor.Append("eyJ");
        var ex = Assert.Throws<DlpScanException>(() => redactor.Append(new string('A', 200)));
        Assert.Equal(DlpScanFailure.HoldBackExceeded, ex.Failure);
    }

    public static TheoryData<string> HostileInputs() => new(HostileInput.Kinds);

    [Theory]
    [MemberData(nameof(HostileInputs))]
    public void Stream_HostileInputInOneChunk_IsScannedOrFailsClosed(string kind)
    {
        // 60,000 characters of "&" once held back one character per level of recursion: the test
        // host died of a stack overflow. Now it is scanned, or refused with a DLP failure.
        var scanner = new DlpScanner(DlpPolicy.Default, new DlpScannerOptions { Budget = TimeSpan.FromSeconds(20) });
        var redactor = scanner.CreateStreamingRedactor();

        var outcome = Record.Exception(() =>
        {
            redactor.Append(HostileInput.Create(kind, 60_000));
            redactor.Append("x");
            redactor.Complete();
        });

        Assert.True(outcome is null or DlpScanException, $"{kind}: {outcome}");
    }

    [Theory]
    [MemberData(nameof(HostileInputs))]
    public void Scan_OneMebibyteOfHostileInput_Completes(string kind)
    {
        var text = HostileInput.Create(kind, 1024 * 1024);
        // A guard against quadratic behaviour (which would take minutes), not a timing: the figures
        // are in docs/benchmarks.md; the cap leaves room for a loaded shared machine.
        var scanner = new DlpScanner(DlpPolicy.Default, new DlpScannerOptions { Budget = TimeSpan.FromSeconds(20) });

        var watch = Stopwatch.StartNew();
        scanner.Scan(text);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"{kind} took {watch.Elapsed}");
    }
}
