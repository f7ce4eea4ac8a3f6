using System.Text;
using Synapse.Tests.Dlp.Corpus;

namespace Synapse.Tests.Dlp;

/// <summary>Texts for the streaming properties: every corpus sample, plus longer mixed documents.</summary>
internal static class StreamingTexts
{
    private static readonly string[] Filler =
    [
        "Here is the summary you asked for. ", "The build finished at 10:42 and all 1,204 tests passed. ",
        "Version 2.4.1 fixes the crash on start-up. ", "Contact the on-call engineer if it happens again; ",
        "see section 4.2 of the runbook.\n", "Thanks! ", "Order ORD-2024-000871 is on its way. ",
    ];

    public static IReadOnlyList<string> Samples { get; } = DlpCorpus.Load().Select(s => s.Text).ToArray();

    public static IReadOnlyList<string> Documents(int count, int seed)
    {
        var random = new Random(seed);
        var samples = Samples;
        var documents = new List<string>
        {
            // Surrogate pairs: mathematical bold digits normalise to ASCII digits; emoji do not.
            "card \U0001D7D2\U0001D7CF\U0001D7CF\U0001D7CF \U0001D7CF\U0001D7CF\U0001D7CF\U0001D7CF \U0001D7CF\U0001D7CF\U0001D7CF\U0001D7CF \U0001D7CF\U0001D7CF\U0001D7CF\U0001D7CF end \U0001F600",
            "mail a@example.com\u200B and 4111-1111-1111-1111\u00AD.",
            "no PII at all, just a friendly note about the weather and a smiley \U0001F642.",
        };
        for (var i = 0; i < count; i++)
        {
            var builder = new StringBuilder();
            var parts = random.Next(3, 9);
            for (var p = 0; p < parts; p++)
            {
                builder.Append(random.Next(3) == 0 ? Filler[random.Next(Filler.Length)] : samples[random.Next(samples.Count)] + " ");
            }

            documents.Add(builder.ToString());
        }

        return documents;
    }
}
