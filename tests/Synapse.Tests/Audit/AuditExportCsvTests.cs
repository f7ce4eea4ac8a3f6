using Synapse.Audit;
using Synapse.Gateway.Audit;
using Synapse.Grains.Interfaces.Audit;

namespace Synapse.Tests.Audit;

/// <summary>
/// An exported CSV is opened in a spreadsheet by an auditor; the texts in it come from clients (user
/// agents, model names) and must never run there as formulas.
/// </summary>
public sealed class AuditExportCsvTests
{
    [Theory]
    [InlineData("=1+1")]
    [InlineData("+SUM(1)")]
    [InlineData("-1+HYPERLINK(\"http://evil.example\",\"x\")")]
    [InlineData("-2+3")]
    [InlineData("@SUM(A1)")]
    [InlineData("\t=1+1")]
    [InlineData("\r=1+1")]
    public async Task ClientTextThatASpreadsheetWouldRun_IsDefused(string text)
    {
        var cells = await ExportedCellsAsync(text);

        Assert.Equal("'" + text, cells["user_agent"]);
        Assert.Equal("'" + text, cells["model"]);
    }

    [Theory]
    [InlineData("-5")]
    [InlineData("+1.5")]
    [InlineData("curl/8.0 (=x)")]
    public async Task NumbersAndOrdinaryText_AreWrittenAsTheyAre(string text)
    {
        var cells = await ExportedCellsAsync(text);

        Assert.Equal(text, cells["user_agent"]);
    }

    private static async Task<Dictionary<string, string>> ExportedCellsAsync(string text)
    {
        var record = AuditRecord.Create(AuditEventKind.Rejection, AuditOutcomes.ModelNotAllowed, DateTimeOffset.UtcNow) with { UserAgent = text, Model = text };
        var row = new AuditRow(1, "p", 1, record, new string('0', 64), new string('1', 64));
        using var stream = new MemoryStream();

        var written = await AuditExport.WriteAsync(stream, AuditExport.Csv, Rows(row), new System.Text.Json.JsonSerializerOptions(), CancellationToken.None);

        Assert.Equal(1, written);
        var lines = System.Text.Encoding.UTF8.GetString(stream.ToArray()).Split('\n');
        var header = lines[0].Split(',');
        var values = SplitCsv(lines[1]);
        Assert.Equal(header.Length, values.Count);
        return header.Zip(values).ToDictionary(p => p.First, p => p.Second, StringComparer.Ordinal);
    }

    private static async IAsyncEnumerable<AuditRow> Rows(AuditRow row)
    {
        await Task.Yield();
        yield return row;
    }

    // RFC 4180 fields of one line (quoted fields may hold commas and doubled quotes).
    private static List<string> SplitCsv(string line)
    {
        var fields = new List<string>();
        var current = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    current.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    current.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(current.ToString());
                current.Clear();
            }
            else
            {
                current.Append(c);
            }
        }

        fields.Add(current.ToString());
        return fields;
    }

}
