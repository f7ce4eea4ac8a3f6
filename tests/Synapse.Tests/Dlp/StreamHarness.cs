using System.Text;
using Synapse.Dlp;

namespace Synapse.Tests.Dlp;

/// <summary>Feeds chunks through a <see cref="StreamingRedactor"/> the way the gateway will.</summary>
internal static class StreamHarness
{
    public static (string Output, StreamingRedactor Redactor) Run(DlpScanner scanner, IEnumerable<string> chunks)
    {
        var redactor = scanner.CreateStreamingRedactor();
        var output = new StringBuilder();
        foreach (var chunk in chunks)
        {
            output.Append(redactor.Append(chunk));
        }

        output.Append(redactor.Complete());
        return (output.ToString(), redactor);
    }

    public static IEnumerable<string> SplitAt(string text, int offset) => [text[..offset], text[offset..]];

    public static IEnumerable<string> RandomChunks(string text, Random random, int maxChunk = 16)
    {
        var pos = 0;
        while (pos < text.Length)
        {
            var size = Math.Min(random.Next(1, maxChunk + 1), text.Length - pos);
            yield return text.Substring(pos, size);
            pos += size;
        }
    }

    /// <summary>What a blocked stream may show at most: the redacted text before the first block finding.</summary>
    public static string RedactedBeforeFirstBlock(string text, DlpScanResult result)
    {
        var block = result.Findings.First(f => f.Action == DlpAction.Block);
        var output = new StringBuilder();
        var pos = 0;
        foreach (var finding in result.Findings.Where(f => f.End <= block.Start && f.Action >= DlpAction.Redact))
        {
            output.Append(text, pos, finding.Start - pos).Append("[REDACTED:").Append(finding.Category.ToUpperInvariant()).Append(']');
            pos = finding.End;
        }

        return output.Append(text, pos, block.Start - pos).ToString();
    }
}
