using System.Text;

namespace Synapse.Benchmarks.Dlp;

/// <summary>Deterministic benchmark inputs: English prose with and without dense PII, and hostile inputs.</summary>
internal static class DlpBenchmarkText
{
    private static readonly string[] Prose =
    [
        "The quarterly report shows steady growth across all regions, with the strongest results in the north. ",
        "Our engineering team shipped the new search feature last week; early feedback from customers is positive. ",
        "Please summarise the following meeting notes and list the action items with their owners. ",
        "When the cache is cold, the first request takes noticeably longer, so we warm it during start-up. ",
        "She asked whether the migration could be rolled back safely if the new schema caused problems. ",
        "Remember to update the documentation, the changelog and the examples before the release is tagged. ",
        "In the afternoon session we compared three approaches and agreed to prototype the simplest one first. ",
        "The model answered correctly, but its explanation skipped a step that a reader would need. ",
    ];

    // Every sentence carries at least one match (synthetic values only).
    private static readonly string[] Dense =
    [
        "Charge card 4111 1111 1111 1111 and mail the receipt to jane.doe@example.com today. ",
        "Call +1 415 555 2671 or (212) 555-0199 about IBAN GB29 NWBK 6016 1331 9268 19. ",
        "SSN 536-90-4399 and NI number AB 12 34 56 C were found on the form from 10.0.0.12. ",
        "Wire DE89 3704 0044 0532 0130 00, then confirm with ops@example.org or 020 7946 0958. ",
        "The server 192.168.10.24 logged 5555-5555-5555-4444 next to 2001:db8::1 yesterday. ",
    ];

    public static string English(int length, bool densePii)
    {
        var source = densePii ? Dense : Prose;
        var builder = new StringBuilder(length + 128);
        var i = 0;
        while (builder.Length < length)
        {
            builder.Append(source[i++ % source.Length]);
        }

        return builder.ToString(0, length);
    }

    /// <summary>A realistic 8 KB prompt: instructions, pasted prose and a couple of contact details.</summary>
    public static string Prompt8K()
    {
        var builder = new StringBuilder("You are a helpful assistant. Summarise the customer thread below and draft a reply.\n\n");
        var i = 0;
        while (builder.Length < 8 * 1024)
        {
            builder.Append(Prose[i % Prose.Length]);
            if (i % 17 == 5)
            {
                builder.Append("Customer: reach me at sam.lee@example.com or 07700 900123. ");
            }

            i++;
        }

        return builder.ToString(0, 8 * 1024);
    }
}
